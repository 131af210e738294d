package io.docqa.document;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/**
 * Keyword search over the chunks of a tenant's ready documents with PostgreSQL's full-text search, in one statement
 * whose every chunk row is the tenant's. The question's words (stemmed, stop words and request words such as "explain"
 * dropped; a dotted name such as {@code json.loads} counts whole and by its parts, as chunks are indexed: migration
 * V14) are weighted by rarity,
 * {@code ln(1 / share of chunks holding the word)}, from PostgreSQL's statistics of the column (words it does not
 * list as common count as rare). A chunk is found when it holds any rare word, or all common ones; chunks rank by
 * the weight of the words they hold, then by cover density ({@code ts_rank_cd}, where a word of the heading path
 * counts ten times one of the text: weight A). Each hit also tells how much of the question its heading path holds
 * (the words of weight A), which the relevance decision reads; computed for the rows returned only.
 * <p>
 * How it runs: the matching chunks are found first, through the GIN index alone ({@code hits}, kept apart from the
 * join by {@code offset 0}), and only then joined to their documents; joined directly, the planner may instead read
 * every chunk of each of the tenant's documents through the primary key and test each one (a third of a second over
 * 10,000 chunks, seen while the statistics lagged behind an upload: README, ChatBenchmark). A chunk's search vector
 * is read once ({@code || ''}, which changes nothing in it): one stored out of line would otherwise be fetched again for
 * every word of the question.
 */
@Component
public class KeywordSearch {

    private static final String SQL = """
            with stats as materialized (
                select w.term, w.share
                from pg_stats, unnest(most_common_elems::text::text[], most_common_elem_freqs) as w(term, share)
                where schemaname = current_schema() and tablename = 'document_chunks' and attname = 'search'
            ), asked as (
                select term, max(weight) as weight from (
                    select unnest(question_terms(cast(:config as regconfig), :question, :request)) as term, 1.0::float8 as weight
                    union all
                    select unnest(question_terms(cast(:config as regconfig), :earlier, :request)), cast(:weight as float8)
                ) words where weight > 0 group by term
            ), terms as (
                select plainto_tsquery('simple', a.term) as query, coalesce(s.share, 0) as share,
                       a.weight * ln(1 / greatest(coalesce(s.share, 0), 0.0001)) as idf
                from asked a left join stats s on s.term = a.term
                where plainto_tsquery('simple', a.term)::text <> ''
            ), q as (
                select coalesce((select string_agg(query::text, ' | ') from terms where share <= :common)::tsquery, ''::tsquery)
                       || coalesce((select string_agg(query::text, ' & ') from terms where share > :common)::tsquery, ''::tsquery) as match,
                       coalesce((select string_agg(query::text, ' | ') from terms)::tsquery, ''::tsquery) as anyterm,
                       (select sum(idf) from terms) as total,
                       (select count(*) from terms) as terms
            ), hits as (
                select c.document_id, c.chunk_index, c.section, c.text, c.search || ''::tsvector as search
                from q, document_chunks c
                where c.tenant_id = :tenant and c.search @@ q.match %s
                offset 0
            )
            select c.document_id, c.chunk_index, c.section, c.text, d.filename, q.total, q.terms,
                   (select sum(t.idf) from terms t where c.search @@ t.query) as found,
                   (select count(*) from terms t where c.search @@ t.query) as matched,
                   (select coalesce(sum(t.idf), 0) from terms t where ts_filter(c.search, '{a}') @@ t.query) as heading_found,
                   (select count(*) from terms t where ts_filter(c.search, '{a}') @@ t.query) as heading_matched
            from q, hits c join documents d on d.id = c.document_id
            where d.tenant_id = :tenant and d.status = 'ready'
            order by found desc, ts_rank_cd(c.search, q.anyterm) desc, c.document_id, c.chunk_index
            limit :limit
            """;

    private final DatabaseClient db;
    private final KeywordSearchProperties properties;

    KeywordSearch(DatabaseClient db, KeywordSearchProperties properties) {
        this.db = db;
        this.properties = properties;
    }

    /** The best {@code limit} chunks for the query, best first; only within {@code documentIds} unless that is empty. */
    public Mono<List<KeywordHit>> search(TenantId tenant, KeywordQuery query, Set<UUID> documentIds, int limit) {
        var spec = db.sql(SQL.formatted(documentIds.isEmpty() ? "" : "and c.document_id = any(:ids)"))
                .bind("config", properties.textSearchConfig())
                .bind("question", query.question())
                .bind("earlier", query.earlier())
                .bind("weight", query.earlierWeight())
                .bind("request", properties.requestWords())
                .bind("common", properties.commonTermShare())
                .bind("tenant", tenant.value())
                .bind("limit", limit);
        if (!documentIds.isEmpty()) {
            spec = spec.bind("ids", documentIds.toArray(UUID[]::new));
        }
        return spec.map(KeywordSearch::hit).all().collectList();
    }

    private static KeywordHit hit(Readable row) {
        double total = row.get("total", Double.class);
        return new KeywordHit(row.get("document_id", UUID.class), row.get("filename", String.class),
                row.get("chunk_index", Integer.class), row.get("section", String.class), row.get("text", String.class),
                share(row.get("found", Double.class), total), share(row.get("heading_found", Double.class), total),
                ((Number) row.get("matched")).intValue(), ((Number) row.get("heading_matched")).intValue(),
                ((Number) row.get("terms")).intValue());
    }

    private static double share(double found, double total) {
        return total > 0 ? Math.min(1, found / total) : 0;
    }
}
