package io.docqa.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.support.Api;
import io.docqa.support.Api.Account;
import io.docqa.support.FakeOllama;
import io.docqa.support.Operator;
import io.docqa.support.ServiceInstance;
import io.docqa.support.ServiceProperties;
import io.docqa.support.Uploads;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/**
 * Two instances on one PostgreSQL race for one tenant's quotas: together they never admit more than the limit. The
 * second instance runs without an operator token, so its operator paths do not exist.
 */
class QuotaRaceTest {

    private static FakeOllama ollama;
    private static final List<ServiceInstance> instances = new ArrayList<>();

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // two contexts on a loaded machine
    static void startTwoInstances() {
        Map<String, String> roomy = new HashMap<>(Map.of(
                "docqa.chat.max-concurrent-generations", "4",
                "docqa.chat.max-queued-generations", "50",
                "docqa.chat.shares.max-per-tenant", "50",
                "docqa.chat.shares.max-per-caller", "50"));
        ollama = FakeOllama.start();
        instances.add(ServiceInstance.start(ollama.baseUrl(), roomy));
        roomy.put("docqa.operator.token", "");
        instances.add(ServiceInstance.start(ollama.baseUrl(), roomy));
    }

    @AfterAll
    static void stop() {
        instances.forEach(ServiceInstance::close);
        if (ollama != null) {
            ollama.close();
        }
    }

    private static WebTestClient http(int i) {
        return instances.get(i % 2).http();
    }

    @Test
    void twoInstancesAdmitNoMoreQuestionsThanTheDaysQuota() {
        Api api = new Api(http(0));
        Account owner = api.signup("Race");
        api.upload(owner, "orchids.txt", "The orchid greenhouse is watered every Tuesday at seven.");
        new Operator(http(0)).setQuota(owner.tenantId(), "daily_questions", 5);
        ollama.reset().answer("On", " Tuesday");

        Map<Integer, Long> statuses = race(12, i -> http(i).post().uri("/api/v1/chat")
                .header(HttpHeaders.AUTHORIZATION, owner.bearer()).accept(MediaType.APPLICATION_JSON)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("question", "When is the orchid greenhouse watered?"))
                .exchange().returnResult(JsonNode.class));

        assertThat(statuses).isEqualTo(Map.of(200, 5L, 429, 7L));
        assertThat(ollama.requests()).as("the model was asked for the admitted questions only").hasSize(5);
        JsonNode used = http(1).get().uri("/api/v1/tenant").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("quotas").get("daily_questions");
        assertThat(used.get("used").asLong()).isEqualTo(5);
        // the usage ledger, read through the other instance, holds the 5 answers of both, and none of the refused
        assertThat(usageTotal(owner, "questions")).isEqualTo(5);
    }

    @Test
    void twoInstancesStoreNoMoreDocumentsThanTheQuota() {
        Api api = new Api(http(0));
        Account owner = api.signup("Race documents");
        // the tenant's first document, alone: its vector collection exists before the race
        api.upload(owner, "first.txt", Uploads.prose("first", 2));
        new Operator(http(0)).setQuota(owner.tenantId(), "documents", 4);

        Map<Integer, Long> statuses = race(8, i -> http(i).post().uri("/api/v1/documents")
                .header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .body(BodyInserters.fromMultipartData(Uploads.files(Uploads.text("doc" + i + ".txt", Uploads.prose("topic " + i, 3)))))
                .exchange().returnResult(JsonNode.class));

        assertThat(statuses).isEqualTo(Map.of(201, 3L, 429, 5L));
        assertThat(http(1).get().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("total").asLong()).isEqualTo(4);
        assertThat(usageTotal(owner, "documents")).as("the usage ledger").isEqualTo(4);
        instances.get(0).bean(TenantVectorIndex.class).count(new TenantId(owner.tenantId()))
                .as(StepVerifier::create).expectNextMatches(n -> n == 4).verifyComplete();
    }

    /** A column of {@code GET /api/v1/usage} (today, by day) summed, read through the second instance. */
    private static long usageTotal(Account owner, String column) {
        JsonNode usage = http(1).get().uri("/api/v1/usage").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        return usage.get("items").valueStream().mapToLong(item -> item.get(column).asLong()).sum();
    }

    @Test
    void withoutAnOperatorTokenTheOperatorsPathsDoNotExist() {
        Account owner = new Api(http(0)).signup("No operator");
        http(1).get().uri("/operator/v1/tenants/{id}/quotas", owner.tenantId())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ServiceProperties.OPERATOR_TOKEN).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("not_found");
        http(0).get().uri("/operator/v1/tenants/{id}/quotas", owner.tenantId())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ServiceProperties.OPERATOR_TOKEN).exchange()
                .expectStatus().isOk();
    }

    /** Sends {@code n} requests at once, alternating between the instances; how many got each status. */
    private static Map<Integer, Long> race(int n, IntFunction<FluxExchangeResult<JsonNode>> request) {
        return Flux.range(0, n)
                .flatMap(i -> Mono.fromCallable(() -> request.apply(i))
                        .map(result -> {
                            int status = result.getStatus().value();
                            if (status == 429) {
                                JsonNode problem = result.getResponseBody().blockFirst(Duration.ofSeconds(60));
                                assertThat(problem.get("code").asString()).isEqualTo("quota_exceeded");
                            }
                            else {
                                result.getResponseBody().blockLast(Duration.ofSeconds(60));
                            }
                            return status;
                        })
                        .subscribeOn(Schedulers.boundedElastic()), n)
                .collectList()
                .block(Duration.ofMinutes(3))
                .stream().collect(Collectors.groupingBy(status -> status, Collectors.counting()));
    }
}
