package io.docqa.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import io.docqa.support.ChromaServer;
import io.docqa.tenant.TenantId;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import dev.langchain4j.http.client.HttpClientBuilderLoader;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

@ParameterizedClass(name = "isolation {0}")
@EnumSource(ChromaIsolation.class)
class TenantVectorIndexTest {

    private static final Embedder embedder = new Embedder(EmbeddingModel.ALL_MINILM_L6_V2);
    private static final Map<ChromaIsolation, TenantVectorIndex> indexes = new EnumMap<>(ChromaIsolation.class);

    private final ChromaIsolation isolation;
    private final TenantVectorIndex index;

    TenantVectorIndexTest(ChromaIsolation isolation) {
        this.isolation = isolation;
        // Chroma starved of CPU took over 10 s to make a collection; the timeout is not what this class tests
        this.index = indexes.computeIfAbsent(isolation, level -> new TenantVectorIndex(
                new ChromaProperties(URI.create(ChromaServer.get().url()), Duration.ofSeconds(30), 4, level), embedder));
    }

    @AfterAll
    static void close() {
        indexes.values().forEach(TenantVectorIndex::close);
        embedder.close();
    }

    @Test
    void theStoresOfManyTenantsShareOneHttpClient() {
        assertThat(HttpClientBuilderLoader.loadHttpClientBuilder()).isInstanceOf(ReactorHttpClient.Builder.class);
        index.add(TenantId.random(), List.of(new VectorChunk(UUID.randomUUID(), 0, null, "first", basis(0))))
                .as(StepVerifier::create)
                .verifyComplete();
        int before = ManagementFactory.getThreadMXBean().getThreadCount();
        Flux.range(0, 40)
                .concatMap(i -> index.add(TenantId.random(), List.of(new VectorChunk(UUID.randomUUID(), 0, null, "chunk", basis(1)))))
                .then()
                .as(StepVerifier::create)
                .verifyComplete();
        // a client per store would start threads of its own for each of the 40 tenants; the shared event loops start
        // lazily, at most one per core or 4
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).isLessThan(before + 10);
    }

    @Test
    void searchReturnsTheClosestChunksBestFirstWithScoresBetweenZeroAndOne() {
        TenantId tenant = TenantId.random();
        UUID doc = UUID.randomUUID();
        index.add(tenant, List.of(
                        new VectorChunk(doc, 0, null, "along x", basis(0)),
                        new VectorChunk(doc, 1, null, "along y", basis(1)),
                        new VectorChunk(doc, 2, null, "between x and y", mix(0, 1)),
                        new VectorChunk(doc, 3, null, "against x", negative(0))))
                .then(index.search(tenant, basis(0), 4, 0.0, Set.of()))
                .as(StepVerifier::create)
                .assertNext(matches -> {
                    assertThat(matches).extracting(VectorMatch::chunkIndex).containsExactly(0, 2, 1, 3);
                    assertThat(matches).extracting(VectorMatch::text).as("texts are PostgreSQL's").containsOnlyNulls();
                    assertThat(matches).allSatisfy(match -> {
                        assertThat(match.documentId()).isEqualTo(doc);
                        assertThat(match.score()).isBetween(0.0, 1.0);
                    });
                    // score = 1 - cosineDistance / 2 = (1 + cosine) / 2
                    assertThat(matches.get(0).score()).isCloseTo(1.0, within(1e-4));
                    assertThat(matches.get(1).score()).isCloseTo((1 + Math.sqrt(0.5)) / 2, within(1e-4));
                    assertThat(matches.get(2).score()).isCloseTo(0.5, within(1e-4));
                    assertThat(matches.get(3).score()).isCloseTo(0.0, within(1e-4));
                    assertThat(matches.get(1).chunkIndex()).isEqualTo(2);
                })
                .verifyComplete();
    }

    @Test
    void minScoreAndTopKLimitTheMatches() {
        TenantId tenant = TenantId.random();
        UUID doc = UUID.randomUUID();
        index.add(tenant, List.of(
                        new VectorChunk(doc, 0, null, "along x", basis(0)),
                        new VectorChunk(doc, 1, null, "along y", basis(1)),
                        new VectorChunk(doc, 2, null, "between x and y", mix(0, 1))))
                .as(StepVerifier::create)
                .verifyComplete();

        index.search(tenant, basis(0), 10, 0.8, Set.of())
                .as(StepVerifier::create)
                .assertNext(matches -> assertThat(matches).extracting(VectorMatch::chunkIndex).containsExactly(0, 2))
                .verifyComplete();
        index.search(tenant, basis(0), 1, 0.0, Set.of())
                .as(StepVerifier::create)
                .assertNext(matches -> assertThat(matches).extracting(VectorMatch::chunkIndex).containsExactly(0))
                .verifyComplete();
        index.search(tenant, basis(0), 0, 0.0, Set.of())
                .as(StepVerifier::create)
                .verifyError(IllegalArgumentException.class);
    }

    @Test
    void documentIdsRestrictTheSearch() {
        TenantId tenant = TenantId.random();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        index.add(tenant, List.of(
                        new VectorChunk(first, 0, null, "first", basis(0)),
                        new VectorChunk(second, 0, null, "second", mix(0, 1)),
                        new VectorChunk(third, 0, null, "third", basis(1))))
                .then(index.search(tenant, basis(0), 10, 0.0, Set.of(second, third)))
                .as(StepVerifier::create)
                .assertNext(matches -> assertThat(matches).extracting(VectorMatch::documentId).containsExactly(second, third))
                .verifyComplete();
    }

    @Test
    void tenantsNeverSeeEachOthersVectors() {
        TenantId alice = TenantId.random();
        TenantId bob = TenantId.random();
        UUID aliceDoc = UUID.randomUUID();
        UUID bobDoc = UUID.randomUUID();
        ChromaAddress aliceAt = index.address(alice);
        ChromaAddress bobAt = index.address(bob);
        switch (isolation) {
            case COLLECTION -> assertThat(aliceAt).isEqualTo(new ChromaAddress("default_tenant", "default_database",
                    "docqa-" + alice.value() + "-all-minilm-l6-v2"));
            case DATABASE -> assertThat(aliceAt).isEqualTo(new ChromaAddress("default_tenant", "docqa-" + alice.value(),
                    "docqa-all-minilm-l6-v2"));
            case TENANT -> assertThat(aliceAt).isEqualTo(new ChromaAddress("docqa-" + alice.value(), "docqa",
                    "docqa-all-minilm-l6-v2"));
        }
        assertThat(aliceAt).isNotEqualTo(bobAt);
        assertThat(aliceAt.collection()).matches("[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]");

        index.add(alice, List.of(new VectorChunk(aliceDoc, 0, null, "alice's secret", basis(0))))
                .then(index.add(bob, List.of(new VectorChunk(bobDoc, 0, null, "bob's note", basis(1)))))
                .then(index.search(bob, basis(0), 10, 0.0, Set.of()))
                .as(StepVerifier::create)
                .assertNext(matches -> assertThat(matches).extracting(VectorMatch::documentId).containsExactly(bobDoc))
                .verifyComplete();
        // naming another tenant's document does not reach it either
        index.search(bob, basis(0), 10, 0.0, Set.of(aliceDoc))
                .as(StepVerifier::create)
                .assertNext(matches -> assertThat(matches).isEmpty())
                .verifyComplete();
    }

    @Test
    void aRecordOfAnotherTenantInsideTheCollectionIsFilteredOut() {
        TenantId tenant = TenantId.random();
        UUID doc = UUID.randomUUID();
        index.add(tenant, List.of(new VectorChunk(doc, 0, null, "mine", basis(1))))
                .as(StepVerifier::create)
                .verifyComplete();
        ChromaAddress at = index.address(tenant);
        String collectionId = collectionId(at);
        String intruder = UUID.randomUUID().toString();
        post(at.databasePath() + "collections/" + collectionId + "/add", """
                {"ids":["foreign"],"embeddings":[%s],"documents":["not mine"],
                 "metadatas":[{"tenant_id":"%s","document_id":"%s","chunk_index":0}]}
                """.formatted(jsonVector(basis(0)), intruder, doc));

        index.search(tenant, basis(0), 10, 0.0, Set.of())
                .as(StepVerifier::create)
                .assertNext(matches -> assertThat(matches).singleElement()
                        .satisfies(mine -> assertThat(mine.score()).as("the tenant's own record, not the closer intruder").isCloseTo(0.5, within(1e-4))))
                .verifyComplete();
    }

    @Test
    void aChunkSectionIsStoredAsMetadataOnlyWhenThereIsOne() {
        TenantId tenant = TenantId.random();
        UUID doc = UUID.randomUUID();
        index.add(tenant, List.of(new VectorChunk(doc, 0, "Guide > Install", "with a section", basis(0)),
                        new VectorChunk(doc, 1, null, "without", basis(1))))
                .as(StepVerifier::create)
                .verifyComplete();
        ChromaAddress at = index.address(tenant);
        String collectionId = collectionId(at);
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(at.databasePath() + "collections/" + collectionId + "/get"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"include\":[\"metadatas\",\"documents\"]}")));
        var records = tools.jackson.databind.json.JsonMapper.shared().readTree(response.body());
        java.util.Map<Integer, tools.jackson.databind.JsonNode> byChunk = new java.util.HashMap<>();
        for (int i = 0; i < records.get("metadatas").size(); i++) {
            byChunk.put(records.get("metadatas").get(i).get("chunk_index").asInt(), records.get("metadatas").get(i));
        }
        assertThat(byChunk.get(0).get("section").asString()).isEqualTo("Guide > Install");
        assertThat(byChunk.get(1).has("section")).isFalse();
        assertThat(records.get("documents")).as("no chunk text in Chroma").allSatisfy(text -> assertThat(text.asString()).isEqualTo("-"));
    }

    @Test
    void removeDocumentRemovesOnlyThatDocument() {
        TenantId tenant = TenantId.random();
        UUID gone = UUID.randomUUID();
        UUID kept = UUID.randomUUID();
        index.add(tenant, List.of(
                        new VectorChunk(gone, 0, null, "gone 0", basis(0)),
                        new VectorChunk(gone, 1, null, "gone 1", basis(1)),
                        new VectorChunk(kept, 0, null, "kept 0", basis(0)),
                        new VectorChunk(kept, 1, null, "kept 1", basis(2))))
                .then(index.removeDocument(tenant, gone))
                .then(Mono.zip(index.count(tenant, gone), index.count(tenant, kept), index.count(tenant)))
                .as(StepVerifier::create)
                .assertNext(counts -> {
                    assertThat(counts.getT1()).isZero();
                    assertThat(counts.getT2()).isEqualTo(2);
                    assertThat(counts.getT3()).isEqualTo(2);
                })
                .verifyComplete();
        index.search(tenant, basis(0), 10, 0.0, Set.of())
                .as(StepVerifier::create)
                .assertNext(matches -> assertThat(matches).extracting(VectorMatch::documentId).containsOnly(kept))
                .verifyComplete();
    }

    @Test
    void theAddsOfFilesWrittenAtOnceGoInOneCallAndEveryRecordIsStored() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        try (TenantVectorIndex counted = new TenantVectorIndex(new ChromaProperties(URI.create(ChromaServer.get().url()),
                Duration.ofSeconds(30), 4, isolation), embedder, observations, meters)) {
            TenantId tenant = TenantId.random();
            UUID first = UUID.randomUUID();
            UUID second = UUID.randomUUID();
            try (VectorWriter one = counted.writer(tenant, counted.configuredGeneration());
                    VectorWriter other = counted.writer(tenant, counted.configuredGeneration())) {
                one.awaited();
                other.awaited();
                Mono.when(one.add(chunks(first, 3)), other.add(chunks(second, 2)))
                        .as(StepVerifier::create)
                        .verifyComplete();
            }
            Mono.zip(counted.count(tenant, first), counted.count(tenant, second))
                    .as(StepVerifier::create)
                    .assertNext(counts -> assertThat(List.of(counts.getT1(), counts.getT2())).containsExactly(3L, 2L))
                    .verifyComplete();
            assertThat(meters.find("docqa.chroma.requests").tag("operation", "add").timers())
                    .as("one call for both").singleElement().satisfies(timer -> assertThat(timer.count()).isEqualTo(1));
        }
    }

    private static List<VectorChunk> chunks(UUID document, int n) {
        return IntStream.range(0, n).mapToObj(i -> new VectorChunk(document, i, null, "chunk " + i, basis(i))).toList();
    }

    @Test
    void addingTheSameChunksAgainDoesNotDuplicateThem() {
        TenantId tenant = TenantId.random();
        UUID doc = UUID.randomUUID();
        List<VectorChunk> chunks = IntStream.range(0, 5).mapToObj(i -> new VectorChunk(doc, i, null, "chunk " + i, basis(i))).toList();
        index.add(tenant, chunks)
                .then(index.add(tenant, chunks))
                .then(index.add(tenant, chunks.subList(1, 3)))
                .then(index.count(tenant, doc))
                .as(StepVerifier::create)
                .expectNext(5L)
                .verifyComplete();
    }

    @Test
    void dropTenantDeletesTheCollectionAndALaterAddStartsANewOne() {
        TenantId tenant = TenantId.random();
        UUID doc = UUID.randomUUID();
        index.add(tenant, List.of(new VectorChunk(doc, 0, null, "before", basis(0))))
                .then(index.dropTenant(tenant))
                .as(StepVerifier::create)
                .verifyComplete();
        ChromaAddress at = index.address(tenant);
        assertThat(status(at.databasePath() + "collections/" + at.collection())).isEqualTo(404);
        assertThat(status("api/v2/tenants/" + at.tenant() + "/databases/" + at.database()))
                .isEqualTo(isolation == ChromaIsolation.COLLECTION ? 200 : 404);
        index.count(tenant).as(StepVerifier::create).expectNext(0L).verifyComplete();
        index.dropTenant(tenant).as(StepVerifier::create).verifyComplete(); // already gone: fine

        index.add(tenant, List.of(new VectorChunk(doc, 1, null, "after", basis(1))))
                .then(index.search(tenant, basis(0), 10, 0.0, Set.of()))
                .as(StepVerifier::create)
                .assertNext(matches -> assertThat(matches).extracting(VectorMatch::chunkIndex).containsExactly(1))
                .verifyComplete();
    }

    @Test
    void aSearchOfAMissingCollectionAnswersNothingAndCreatesNothing() {
        TenantId fresh = TenantId.random();
        index.search(fresh, basis(0), 10, 0.0, Set.of()).as(StepVerifier::create).expectNext(List.of()).verifyComplete();
        ChromaAddress never = index.address(fresh);
        assertThat(status(never.databasePath() + "collections/" + never.collection())).isEqualTo(404);

        TenantId tenant = TenantId.random();
        index.add(tenant, List.of(new VectorChunk(UUID.randomUUID(), 0, null, "dropped", basis(0))))
                .then(index.search(tenant, basis(0), 10, 0.0, Set.of())) // the store is cached from here
                .as(StepVerifier::create)
                .assertNext(matches -> assertThat(matches).hasSize(1))
                .verifyComplete();
        ChromaAddress at = index.address(tenant); // another instance dropped the generation searched:
        delete(at.ownsDatabase() ? "api/v2/tenants/" + at.tenant() + "/databases/" + at.database()
                : at.databasePath() + "collections/" + at.collection());
        index.search(tenant, basis(0), 10, 0.0, Set.of()).as(StepVerifier::create).expectNext(List.of()).verifyComplete();
        index.search(tenant, basis(0), 10, 0.0, Set.of()).as(StepVerifier::create).expectNext(List.of()).verifyComplete();
        assertThat(status(at.databasePath() + "collections/" + at.collection())).isEqualTo(404);
    }

    @Test
    void aCollectionDeletedBehindTheCachedStoreIsCreatedAgain() {
        TenantId tenant = TenantId.random();
        UUID doc = UUID.randomUUID();
        index.add(tenant, List.of(new VectorChunk(doc, 0, null, "old", basis(0)))).as(StepVerifier::create).verifyComplete();
        ChromaAddress at = index.address(tenant); // another instance deleted the tenant:
        delete(at.ownsDatabase() ? "api/v2/tenants/" + at.tenant() + "/databases/" + at.database()
                : at.databasePath() + "collections/" + at.collection());

        index.add(tenant, List.of(new VectorChunk(doc, 1, null, "new", basis(0))))
                .then(index.search(tenant, basis(0), 10, 0.0, Set.of()))
                .as(StepVerifier::create)
                .assertNext(matches -> assertThat(matches).extracting(VectorMatch::chunkIndex).containsExactly(1))
                .verifyComplete();
    }

    @Test
    void twoInstancesMakingATenantsFirstVectorsAtOnceBothSucceed() {
        try (TenantVectorIndex other = new TenantVectorIndex(
                new ChromaProperties(URI.create(ChromaServer.get().url()), Duration.ofSeconds(30), 4, isolation), embedder)) {
            Flux.range(0, 8)
                    .concatMap(i -> {
                        TenantId tenant = TenantId.random();
                        UUID doc = UUID.randomUUID();
                        return Mono.zip(index.add(tenant, List.of(new VectorChunk(doc, 0, null, "from one", basis(0)))).thenReturn(1),
                                        other.add(tenant, List.of(new VectorChunk(doc, 1, null, "from the other", basis(1)))).thenReturn(1))
                                .then(index.count(tenant, doc));
                    })
                    .as(StepVerifier::create)
                    .expectNext(2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L)
                    .verifyComplete();
        }
    }

    @Test
    void aTenantWithoutVectorsFindsNothing() {
        TenantId tenant = TenantId.random();
        index.search(tenant, basis(0), 4, 0.0, Set.of())
                .as(StepVerifier::create)
                .assertNext(matches -> assertThat(matches).isEmpty())
                .verifyComplete();
        index.count(tenant, UUID.randomUUID()).as(StepVerifier::create).expectNext(0L).verifyComplete();
        index.add(tenant, List.of()).as(StepVerifier::create).verifyComplete();
    }

    @Test
    void findsTheRelevantPassageWithRealEmbeddings() {
        TenantId tenant = TenantId.random();
        UUID doc = UUID.randomUUID();
        List<String> texts = List.of(
                "To reset your password, open Settings, choose Security and click 'Reset password'.",
                "Our office in Lisbon is open from 9 am to 6 pm on weekdays.",
                "Invoices are sent on the first business day of every month.");
        embedder.embedAll(texts)
                .map(vectors -> IntStream.range(0, texts.size()).mapToObj(i -> new VectorChunk(doc, i, null, texts.get(i), vectors.get(i))).toList())
                .flatMap(chunks -> index.add(tenant, chunks))
                .then(embedder.embed("How can I change my password?"))
                .flatMap(question -> index.search(tenant, question, 3, 0.0, Set.of()))
                .as(StepVerifier::create)
                .assertNext(matches -> {
                    assertThat(matches).hasSize(3);
                    assertThat(matches.get(0).chunkIndex()).isZero();
                    assertThat(matches.get(0).score()).isGreaterThan(matches.get(1).score() + 0.1);
                })
                .verifyComplete();
    }

    @Test
    void isAvailableWhileChromaRuns() {
        index.isAvailable().as(StepVerifier::create).expectNext(true).verifyComplete();
    }

    static float[] basis(int axis) {
        float[] vector = new float[384];
        vector[axis] = 1f;
        return vector;
    }

    static float[] negative(int axis) {
        float[] vector = new float[384];
        vector[axis] = -1f;
        return vector;
    }

    static float[] mix(int a, int b) {
        float[] vector = new float[384];
        vector[a] = (float) Math.sqrt(0.5);
        vector[b] = (float) Math.sqrt(0.5);
        return vector;
    }

    private static String jsonVector(float[] vector) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < vector.length; i++) {
            json.append(i == 0 ? "" : ",").append(vector[i]);
        }
        return json.append(']').toString();
    }

    private static final HttpClient http = HttpClient.newHttpClient();

    private static String collectionId(ChromaAddress at) {
        String body = send(HttpRequest.newBuilder(uri(at.databasePath() + "collections/" + at.collection())).GET()).body();
        return tools.jackson.databind.json.JsonMapper.shared().readTree(body).get("id").asString();
    }

    private static int status(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET()).statusCode();
    }

    private static void post(String path, String json) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    }

    private static void delete(String path) {
        assertThat(send(HttpRequest.newBuilder(uri(path)).DELETE()).statusCode()).isEqualTo(200);
    }

    private static URI uri(String path) {
        return URI.create(ChromaServer.get().url() + "/" + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
