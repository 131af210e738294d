package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.tenant.TenantId;
import reactor.test.StepVerifier;

/**
 * What the keyword path finds a chunk by: a dotted API name whole and by its parts (PostgreSQL reads
 * {@code json.loads} as one word), and a question's words less those that only ask ("Where is ... explained?").
 */
class KeywordSearchTest extends IntegrationTest {

    @Autowired
    KeywordSearch keywords;

    @Test
    void aDottedNameFindsTheChunksThatNameItsPartsAndTheOtherWayRound() {
        Account account = api.signup("Keywords dotted names");
        UUID json = api.uploadText(account, "json.txt",
                "Deserialize s, a str instance containing a JSON document, to a Python object with loads(s).");
        UUID tasks = api.uploadText(account, "tasks.txt", "Request cancellation with asyncio.Task.cancel(msg=None).");
        api.uploadText(account, "loader.txt", "The loader reads configuration files from the home directory.");
        TenantId tenant = new TenantId(account.tenantId());

        StepVerifier.create(keywords.search(tenant, KeywordQuery.of("What does json.loads() do?"), Set.of(), 20))
                .assertNext(hits -> {
                    assertThat(hits).extracting(KeywordHit::documentId).containsExactly(json);
                    assertThat(hits.get(0).matchedTerms()).isEqualTo(2);
                })
                .verifyComplete();
        StepVerifier.create(keywords.search(tenant, KeywordQuery.of("How do I use Task.cancel()?"), Set.of(), 20))
                .assertNext(hits -> assertThat(hits).extracting(KeywordHit::documentId).first().isEqualTo(tasks))
                .verifyComplete();
    }

    @Test
    void ingestionIndexesAChunkAsMigrationV14IndexedTheStoredOnes() {
        Account account = api.signup("Keywords index");
        UUID names = api.uploadText(account, "names.txt", "Call os.path.join(a, b) to join two paths.");

        StepVerifier.create(db.sql("""
                        select count(*) as chunks,
                               count(*) filter (where search = chunk_search_vector('english', section, text)) as alike,
                               count(*) filter (where search @@ 'os.path.join & os & path & join'::tsquery) as parts
                        from document_chunks where tenant_id = :tenant and document_id = :id""")
                        .bind("tenant", account.tenantId()).bind("id", names)
                        .map(row -> new long[] {row.get("chunks", Long.class), row.get("alike", Long.class), row.get("parts", Long.class)})
                        .one())
                .assertNext(counts -> assertThat(counts).containsExactly(1, 1, 1))
                .verifyComplete();
    }

    @Test
    void wordsThatOnlyAskFindNothing() {
        Account account = api.signup("Keywords request words");
        UUID utc = api.uploadText(account, "time.txt", "UTC is Coordinated Universal Time, formerly known as Greenwich Mean Time.");
        api.uploadText(account, "manual.txt", "This chapter will explain and describe how to read the manual; tell us what you know.");
        TenantId tenant = new TenantId(account.tenantId());

        for (String question : new String[] {"Where is UTC explained?", "Tell me about UTC.", "What should I know about UTC?"}) {
            StepVerifier.create(keywords.search(tenant, KeywordQuery.of(question), Set.of(), 20))
                    .assertNext(hits -> {
                        assertThat(hits).as(question).extracting(KeywordHit::documentId).containsExactly(utc);
                        assertThat(hits.get(0).score()).as(question).isEqualTo(1.0);
                    })
                    .verifyComplete();
        }
    }

    @Test
    void chunksRankByTheWeightOfTheWordsTheyHoldThenByCoverDensity() {
        Account account = api.signup("Keywords ranking");
        UUID one = api.uploadText(account, "one.txt", "The zorblat is kept in the cellar.");
        UUID all = api.uploadText(account, "all.txt", "The zorblat, the quenvix and the plimbor are kept together.");
        UUID two = api.uploadText(account, "two.txt", "A zorblat and a quenvix sit on the shelf.");
        UUID twice = api.uploadText(account, "twice.txt", "A zorblat and a quenvix, then another zorblat and another quenvix.");
        api.uploadText(account, "none.txt", "Nothing here names any of them.");
        TenantId tenant = new TenantId(account.tenantId());
        KeywordQuery question = KeywordQuery.of("Where are the zorblat, the quenvix and the plimbor?");

        StepVerifier.create(keywords.search(tenant, question, Set.of(), 20))
                .assertNext(hits -> {
                    assertThat(hits).extracting(KeywordHit::documentId).containsExactly(all, twice, two, one);
                    assertThat(hits).extracting(KeywordHit::matchedTerms).containsExactly(3, 2, 2, 1);
                    assertThat(hits).extracting(KeywordHit::queryTerms).containsOnly(3);
                    assertThat(hits.get(0).score()).isEqualTo(1.0);
                })
                .verifyComplete();
        StepVerifier.create(keywords.search(tenant, question, Set.of(), 2))
                .assertNext(hits -> assertThat(hits).extracting(KeywordHit::documentId).containsExactly(all, twice))
                .verifyComplete();
        StepVerifier.create(keywords.search(tenant, question, Set.of(one, two), 20))
                .assertNext(hits -> assertThat(hits).extracting(KeywordHit::documentId).containsExactly(two, one))
                .verifyComplete();
    }

    @Test
    void aHitTellsHowMuchOfTheQuestionItsHeadingPathHolds() {
        Account account = api.signup("Keywords headings");
        UUID guide = api.uploadText(account, "guide.md", "# Zorblat Quenvix\n\nThey are kept in the cellar, away from the light.");
        UUID notes = api.uploadText(account, "notes.txt", "Notes: a zorblat and a quenvix were seen on the shelf.");
        TenantId tenant = new TenantId(account.tenantId());

        StepVerifier.create(keywords.search(tenant, KeywordQuery.of("Where are the zorblat and the quenvix?"), Set.of(), 20))
                .assertNext(hits -> {
                    assertThat(hits).extracting(KeywordHit::documentId).containsExactlyInAnyOrder(guide, notes);
                    assertThat(hits).allSatisfy(hit -> assertThat(hit.score()).isEqualTo(1.0));
                    assertThat(hits).filteredOn(hit -> hit.documentId().equals(guide)).extracting(KeywordHit::headingScore, KeywordHit::headingTerms)
                            .containsExactly(tuple(1.0, 2));
                    assertThat(hits).filteredOn(hit -> hit.documentId().equals(notes)).extracting(KeywordHit::headingScore, KeywordHit::headingTerms)
                            .containsExactly(tuple(0.0, 0));
                })
                .verifyComplete();
    }
}
