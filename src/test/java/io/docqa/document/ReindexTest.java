package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import io.docqa.ai.EmbeddingModel;
import io.docqa.ai.IndexGeneration;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.support.Api;
import io.docqa.support.Api.Account;
import io.docqa.support.ChromaServer;
import io.docqa.support.FakeOllama;
import io.docqa.support.ServiceInstance;
import io.docqa.support.ServiceProperties;
import io.docqa.support.TestDatabase;
import io.docqa.tenant.TenantId;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;

/**
 * Changing {@code docqa.embedding.model} re-indexes every tenant in the background from the chunk texts in PostgreSQL:
 * the service is run under the int8 model, then under fp32 (a database of its own, so that no other test's instance
 * re-indexes these tenants or these instances theirs). Searches keep using the int8 collection, with int8 questions,
 * until the fp32 one is complete; a restart in the middle goes on from where it stood; of two instances only one works
 * on a tenant; an upload while the old generation is searched is caught up; then the int8 collections are gone and
 * every tenant finds its own documents, and only those, under fp32.
 */
class ReindexTest {

    private static final String OLD = "all-minilm-l6-v2-q";
    private static final String NEW = "all-minilm-l6-v2";
    private static final int BATCH = 4;
    private static final HttpClient chroma = HttpClient.newHttpClient();
    private static FakeOllama ollama;
    private static TestDatabase database;

    @BeforeAll
    static void start() {
        ollama = FakeOllama.start();
        database = TestDatabase.kept("docqa_reindex_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10), true);
    }

    @AfterAll
    static void stop() {
        ollama.close();
        database.drop();
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES) // four services started one after the other, on a machine with 2 cores
    void changingTheModelRebuildsEveryTenantsVectorsInTheBackground() {
        Account alice;
        Account bob;
        String falcon;
        String bobs;
        try (ServiceInstance int8 = ServiceInstance.start(ollama.baseUrl(), settings(OLD, true))) {
            Api api = new Api(int8.http());
            alice = api.signup("Alice re-indexed");
            bob = api.signup("Bob re-indexed");
            api.upload(alice, "warehouse.txt", manual("warehouse", 250));
            falcon = api.upload(alice, "falcon.txt", "The launch code of project Falcon is 7731. Keep it in the safe.");
            bobs = api.upload(bob, "cafeteria.txt", "The cafeteria opens at noon and closes at three.");
            assertThat(sources(int8, alice, "What is the launch code of project Falcon?")).contains(falcon);
            assertThat(index(int8, alice).get("generation").asString()).isEqualTo(OLD);
            assertThat(index(int8, alice).get("state").asString()).isEqualTo("ready");
        }
        long aliceChunks;
        String zephyr;
        try (ServiceInstance waiting = ServiceInstance.start(ollama.baseUrl(), settings(NEW, false))) {
            JsonNode pending = index(waiting, alice);
            assertThat(pending.get("state").asString()).isEqualTo("rebuilding");
            assertThat(pending.get("generation").asString()).isEqualTo(OLD);
            assertThat(pending.get("rebuilding_to").asString()).isEqualTo(NEW);
            assertThat(pending.get("chunks_done").asLong()).isZero();
            // the old collection answers, with questions embedded by the old model; the new one is not there yet
            assertThat(sources(waiting, alice, "What is the launch code of project Falcon?")).contains(falcon);
            assertThat(sources(waiting, bob, "When does the cafeteria open?")).containsOnly(bobs);
            assertThat(collection(alice, NEW)).isEqualTo(404);
            // an upload now goes to the generation searched, and is caught up by the re-index
            zephyr = new Api(waiting.http()).upload(alice, "zephyr.txt", "The Zephyr turbine is serviced every 41 days by the night crew.");
            assertThat(sources(waiting, alice, "How often is the Zephyr turbine serviced?")).contains(zephyr);
            aliceChunks = index(waiting, alice).get("chunks_total").asLong();
            assertThat(aliceChunks).isGreaterThan(15 * BATCH);
        }

        long doneBeforeRestart;
        try (ServiceInstance first = ServiceInstance.start(ollama.baseUrl(), settings(NEW, true))) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> index(first, alice).get("chunks_done").asLong() >= 2 * BATCH);
        }
        try (ServiceInstance stopped = ServiceInstance.start(ollama.baseUrl(), settings(NEW, false))) {
            JsonNode middle = index(stopped, alice);
            doneBeforeRestart = middle.get("chunks_done").asLong();
            assertThat(middle.get("state").asString()).as("stopped in the middle: %s", middle).isEqualTo("rebuilding");
            assertThat(middle.get("generation").asString()).isEqualTo(OLD);
            assertThat(doneBeforeRestart).as(middle.toString()).isBetween(2L * BATCH, aliceChunks - 1);
            assertThat(collection(alice, OLD)).isEqualTo(200);
        }

        try (ServiceInstance one = ServiceInstance.start(ollama.baseUrl(), settings(NEW, true));
                ServiceInstance two = ServiceInstance.start(ollama.baseUrl(), settings(NEW, true))) {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> index(one, alice).get("state").asString().equals("ready")
                            && index(two, bob).get("state").asString().equals("ready"));

            JsonNode done = index(two, alice);
            assertThat(done.get("generation").asString()).isEqualTo(NEW);
            assertThat(done.get("chunks_done").asLong()).isEqualTo(done.get("chunks_total").asLong()).isEqualTo(aliceChunks);
            await().atMost(Duration.ofMinutes(1)).until(() -> collection(alice, OLD) == 404 && collection(bob, OLD) == 404);
            IndexGeneration fp32 = new IndexGeneration(EmbeddingModel.ALL_MINILM_L6_V2, IndexGeneration.FORMAT);
            TenantVectorIndex vectors = one.bean(TenantVectorIndex.class);
            assertThat(vectors.count(new TenantId(alice.tenantId()), fp32).block()).isEqualTo(aliceChunks);
            assertThat(vectors.count(new TenantId(bob.tenantId()), fp32).block()).isEqualTo(1);

            // the work went on from where it stood, and the two instances never embedded a chunk twice between them
            double embedded = rebuilt(one) + rebuilt(two);
            // (Bob's one chunk was embedded before the restart or after it)
            assertThat(embedded).isBetween((double) aliceChunks - doneBeforeRestart, (double) aliceChunks - doneBeforeRestart + 1 + BATCH);

            assertThat(sources(one, alice, "What is the launch code of project Falcon?")).contains(falcon).doesNotContain(bobs);
            assertThat(sources(two, alice, "How often is the Zephyr turbine serviced?")).contains(zephyr);
            assertThat(sources(two, bob, "When does the cafeteria open?")).containsOnly(bobs);
        }
    }

    private static double rebuilt(ServiceInstance instance) {
        return instance.bean(MeterRegistry.class).counter("docqa.index.rebuild.chunks").count();
    }

    private static Map<String, String> settings(String model, boolean rebuild) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("spring.r2dbc.url", database.r2dbcUrl());
        settings.put("spring.r2dbc.username", database.user());
        settings.put("spring.r2dbc.password", database.password());
        settings.put("spring.flyway.url", database.jdbcUrl());
        settings.put("spring.flyway.user", database.user());
        settings.put("spring.flyway.password", database.password());
        settings.put("docqa.embedding.model", model);
        settings.put("docqa.index-rebuild.enabled", String.valueOf(rebuild));
        settings.put("docqa.index-rebuild.batch-size", String.valueOf(BATCH));
        settings.put("docqa.index-rebuild.interval", "200ms");
        settings.put("docqa.index-rebuild.lease", "20s");
        settings.put("docqa.index-rebuild.retire-grace", "1s");
        settings.put("docqa.index-rebuild.active-cache", "200ms");
        settings.put("docqa.retrieval.mode", "vector"); // keyword search would find the passages without any vector
        settings.put("docqa.upload.max-file-size", "1MB");
        return settings;
    }

    /** A long document of distinct paragraphs (about {@code paragraphs} / 1.2 chunks of 800 characters). */
    private static String manual(String topic, int paragraphs) {
        return IntStream.range(0, paragraphs)
                .mapToObj(i -> "Section " + i + " of the " + topic + " manual. Shelf " + i + " holds crates of part number "
                        + (1000 + i * 7) + ", checked every " + (i % 13 + 2) + " days by team " + (char) ('A' + i % 26)
                        + ". Damaged crates of this shelf go back to the dock with form " + (300 + i) + " filled in, and the"
                        + " shelf is closed until the supervisor of aisle " + (i % 9) + " signs it off again.")
                .collect(Collectors.joining("\n\n"));
    }

    private static JsonNode index(ServiceInstance instance, Account account) {
        return instance.http().get().uri("/api/v1/tenant").header(HttpHeaders.AUTHORIZATION, account.bearer())
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("index");
    }

    /** The documents of the sources of a question, every vector match a candidate. */
    private static List<String> sources(ServiceInstance instance, Account account, String question) {
        JsonNode answer = instance.http().post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, account.bearer())
                .accept(MediaType.APPLICATION_JSON).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("question", question, "top_k", 10, "min_score", 0))
                .exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        return answer.get("sources").valueStream().map(source -> source.get("document_id").asString()).toList();
    }

    private static int collection(Account account, String generation) {
        String path = "tenants/default_tenant/databases/default_database/collections/docqa-" + account.tenantId() + "-" + generation;
        try {
            return chroma.send(HttpRequest.newBuilder(URI.create(ChromaServer.get().url() + "/api/v2/" + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
