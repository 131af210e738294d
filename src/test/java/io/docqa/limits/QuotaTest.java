package io.docqa.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import io.docqa.ai.OllamaChat;
import io.docqa.ai.TenantVectorIndex;
import io.docqa.support.Api.Account;
import io.docqa.support.IntegrationTest;
import io.docqa.support.Operator;
import io.docqa.support.RawHttp;
import io.docqa.support.RawUpload;
import io.docqa.support.ServiceProperties;
import io.docqa.support.Uploads;
import io.docqa.tenant.TenantId;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** Each quota refuses with {@code 429 quota_exceeded} before the work: no model call, no vector, no document left. */
class QuotaTest extends IntegrationTest {

    private static final String FACT = "The orchid greenhouse is watered every Tuesday at seven.";
    private static final String QUESTION = "When is the orchid greenhouse watered?";

    @Autowired
    TenantVectorIndex index;

    @Autowired
    OllamaChat model;

    private Operator operator;

    @BeforeEach
    void operator() {
        operator = new Operator(http);
    }

    @Test
    void theDaysQuestionsUsedUpAreRefusedBeforeTheModelIsCalled() {
        Account owner = api.signup("Daily");
        String key = api.apiKey(owner, "viewer");
        api.upload(owner, "orchids.txt", FACT);
        operator.setQuota(owner.tenantId(), "daily_questions", 1);
        OLLAMA.answer("On", " Tuesday");
        ask(owner).expectStatus().isOk();

        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1) + "T00:00:00Z";
        ask(owner).expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, value -> assertThat(Long.parseLong(value)).isBetween(1L, 86_401L))
                .expectBody()
                .jsonPath("$.code").isEqualTo("quota_exceeded")
                .jsonPath("$.quota").isEqualTo("daily_questions")
                .jsonPath("$.limit").isEqualTo(1)
                .jsonPath("$.resets_at").isEqualTo(tomorrow);
        http.post().uri("/v1/chat/completions").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("model", "docqa", "messages", java.util.List.of(Map.of("role", "user", "content", QUESTION))))
                .exchange().expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.error.code").isEqualTo("quota_exceeded").jsonPath("$.error.type").isEqualTo("insufficient_quota");
        assertThat(OLLAMA.requests()).as("the model was asked once").hasSize(1);

        String metrics = http.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + SCRAPE_TOKEN)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).as("refusals counted by quota only, no tenant").containsPattern(
                "docqa_quota_refusals_total\\{[^}]*quota=\"daily_questions\"[^}]*\\} [1-9]");

        JsonNode quota = tenant(owner).get("quotas").get("daily_questions");
        assertThat(quota.get("limit").asLong()).isEqualTo(1);
        assertThat(quota.get("used").asLong()).isEqualTo(1);
        assertThat(quota.get("resets_at").asString()).isEqualTo(tomorrow);
    }

    @Test
    void anAnswerReservesTheMostItCanGenerateAndGivesBackTheRest() {
        Account owner = api.signup("Tokens");
        api.upload(owner, "orchids.txt", FACT);
        OLLAMA.answer("On", " Tuesday", " [1]");
        ask(owner).expectStatus().isOk();
        JsonNode tokens = tenant(owner).get("quotas").get("monthly_completion_tokens");
        assertThat(tokens.get("used").asLong()).as("the reservation less what was not generated").isEqualTo(3);
        String nextMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1) + "T00:00:00Z";
        assertThat(tokens.get("resets_at").asString()).isEqualTo(nextMonth);

        operator.setQuota(owner.tenantId(), "monthly_completion_tokens", 3 + model.maxOutputTokens() - 1);
        ask(owner).expectStatus().isEqualTo(429).expectBody()
                .jsonPath("$.quota").isEqualTo("monthly_completion_tokens")
                .jsonPath("$.resets_at").isEqualTo(nextMonth);
        assertThat(OLLAMA.requests()).hasSize(1);
        assertThat(tenant(owner).get("quotas").get("daily_questions").get("used").asLong())
                .as("a refused question is not counted").isEqualTo(1);

        operator.setQuota(owner.tenantId(), "monthly_completion_tokens", 3 + model.maxOutputTokens());
        ask(owner).expectStatus().isOk();
        assertThat(tenant(owner).get("quotas").get("monthly_completion_tokens").get("used").asLong()).isEqualTo(6);
    }

    @Test
    void aQuestionRefusedForItsConversationOrDocumentsTakesNothingOfTheQuotas() {
        Account owner = api.signup("Refused early");
        api.upload(owner, "orchids.txt", FACT);
        OLLAMA.answer("On", " Tuesday");
        for (Map<String, Object> body : java.util.List.<Map<String, Object>>of(
                Map.of("question", QUESTION, "conversation_id", UUID.randomUUID().toString()),
                Map.of("question", QUESTION, "document_ids", java.util.List.of(UUID.randomUUID().toString())))) {
            http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, owner.bearer()).accept(MediaType.APPLICATION_JSON)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                    .expectStatus().isNotFound();
        }
        JsonNode quotas = tenant(owner).get("quotas");
        assertThat(quotas.get("daily_questions").get("used").asLong()).isZero();
        assertThat(quotas.get("monthly_completion_tokens").get("used").asLong()).isZero();
        assertThat(OLLAMA.requests()).isEmpty();
    }

    @Test
    void theDocumentsQuotaRefusesAnotherDocument() {
        Account owner = api.signup("Documents");
        operator.setQuota(owner.tenantId(), "documents", 1);
        api.upload(owner, "one.txt", "The first document is about rivers.");

        upload(owner, "two.txt", "The second document is about mountains.").expectStatus().isEqualTo(429)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "3600")
                .expectBody().jsonPath("$.quota").isEqualTo("documents").jsonPath("$.limit").isEqualTo(1)
                .jsonPath("$.resets_at").doesNotExist();
        assertThat(documents(owner)).isEqualTo(1);
        assertThat(tenant(owner).get("quotas").get("documents").get("used").asLong()).isEqualTo(1);
    }

    @Test
    void theFilesOfOneRequestStayWithinTheDocumentsQuota() {
        Account owner = api.signup("Documents of one request");
        operator.setQuota(owner.tenantId(), "documents", 2);
        http.post().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .body(BodyInserters.fromMultipartData(Uploads.files(Uploads.text("one.txt", Uploads.prose("rivers", 20)),
                        Uploads.text("two.txt", Uploads.prose("mountains", 20)), Uploads.text("three.txt", Uploads.prose("lakes", 20)))))
                .exchange()
                .expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.quota").isEqualTo("documents").jsonPath("$.limit").isEqualTo(2);
        assertThat(documents(owner)).isEqualTo(2);
        JsonNode quotas = tenant(owner).get("quotas");
        assertThat(quotas.get("documents").get("used").asLong()).isEqualTo(2);
        assertThat(quotas.get("bytes").get("used").asLong()).as("no reservation is left behind")
                .isEqualTo(Uploads.prose("rivers", 20).length() + Uploads.prose("mountains", 20).length());
    }

    @Test
    void aDeclaredLengthBeyondTheBytesLeftIsRefusedBeforeAByteIsRead() {
        Account owner = api.signup("Declared");
        operator.setQuota(owner.tenantId(), "bytes", 20_000);
        String boundary = "quota-boundary";
        byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\n" + Uploads.prose("declared", 250) + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(body.length).as("beyond the bytes left and the framing of a part").isGreaterThan(20_000 + 16 * 1024);
        RawHttp.Response response = new RawHttp(port).send(new RawHttp.Request("POST", "/api/v1/documents",
                RawHttp.headers("Authorization", owner.bearer(), "Accept", "application/json",
                        "Content-Type", "multipart/form-data; boundary=" + boundary), body));
        assertThat(response.status()).isEqualTo(429);
        assertThat(response.body()).contains("\"quota\":\"bytes\"");
        assertThat(documents(owner)).isZero();
        assertNoVectors(owner);
    }

    @Test
    void aStreamedUploadStopsWhenItsBytesCrossTheQuotaAndLeavesNothing() {
        Account owner = api.signup("Streamed");
        operator.setQuota(owner.tenantId(), "bytes", 20_000);
        try (RawUpload upload = RawUpload.start(port, owner.bearer(), "application/json")) {
            upload.file("big.txt", Uploads.prose("streamed", 250).getBytes(StandardCharsets.UTF_8)).finish();
            assertThat(upload.readLine()).startsWith("HTTP/1.1 429");
            assertThat(upload.readUntil("\"quota\":\"bytes\"")).isTrue();
        }
        assertThat(documents(owner)).isZero();
        assertNoVectors(owner);
        JsonNode bytes = tenant(owner).get("quotas").get("bytes");
        assertThat(bytes.get("used").asLong()).as("no reservation is left behind").isZero();
        assertThat(bytes.get("resets_at").isNull()).isTrue();
        api.upload(owner, "small.txt", Uploads.prose("small", 10));
    }

    @Test
    void theChunksQuotaRefusesAFileBeforeItsChunksAreEmbedded() {
        Account owner = api.signup("Chunks");
        operator.setQuota(owner.tenantId(), "chunks", 2);
        upload(owner, "many.txt", Uploads.prose("chunks", 30)).expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$.quota").isEqualTo("chunks").jsonPath("$.limit").isEqualTo(2);
        assertThat(documents(owner)).isZero();
        assertNoVectors(owner);
        api.upload(owner, "few.txt", "Two sentences only. About nothing much.");
        assertThat(tenant(owner).get("quotas").get("chunks").get("used").asLong()).isEqualTo(1);
    }

    @Test
    void theTenantShowsEachQuotaWithItsDefaults() {
        Account viewer = api.addUser(api.signup("Shown"), "viewer");
        JsonNode quotas = tenant(viewer).get("quotas");
        assertThat(quotas.propertyNames()).containsExactly("documents", "bytes", "chunks", "monthly_completion_tokens", "daily_questions");
        assertThat(quotas.get("documents").get("limit").asLong()).isEqualTo(10_000);
        assertThat(quotas.get("bytes").get("limit").asLong()).isEqualTo(10L * 1024 * 1024 * 1024);
        assertThat(quotas.get("documents").get("used").asLong()).isZero();
        assertThat(quotas.get("documents").get("resets_at").isNull()).isTrue();
    }

    @Test
    void onlyTheOperatorTokenOpensTheOperatorsPaths() {
        Account owner = api.signup("Operated");
        String path = "/operator/v1/tenants/" + owner.tenantId() + "/quotas";
        for (String authorization : new String[] { null, owner.bearer(), "Bearer " + api.apiKey(owner, "admin"),
                "Bearer " + ServiceProperties.OPERATOR_TOKEN + "x", "Basic " + ServiceProperties.OPERATOR_TOKEN }) {
            WebTestClient.RequestHeadersSpec<?> get = http.get().uri(path);
            if (authorization != null) {
                get = get.header(HttpHeaders.AUTHORIZATION, authorization);
            }
            get.exchange().expectStatus().isUnauthorized()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"operator\"")
                    .expectBody().jsonPath("$.code").isEqualTo("unauthorized");
        }
        http.put().uri(path + "/daily_questions").header(HttpHeaders.AUTHORIZATION, owner.bearer())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("limit", 1_000_000)).exchange().expectStatus().isUnauthorized();
        assertThat(tenant(owner).get("quotas").get("daily_questions").get("limit").asLong()).isEqualTo(10_000);

        JsonNode view = operator.setQuota(owner.tenantId(), "daily_questions", -1);
        assertThat(view.get("overrides").get("daily_questions").asLong()).isEqualTo(-1);
        assertThat(view.get("quotas").get("daily_questions").get("limit").isNull()).as("unlimited").isTrue();
        assertThat(tenant(owner).get("quotas").get("daily_questions").get("limit").isNull()).isTrue();

        String bearer = "Bearer " + ServiceProperties.OPERATOR_TOKEN;
        http.delete().uri(path + "/daily_questions").header(HttpHeaders.AUTHORIZATION, bearer).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.overrides.daily_questions").doesNotExist()
                .jsonPath("$.quotas.daily_questions.limit").isEqualTo(10_000);
        // the tenant's admins see what the operator changed, newest first
        http.get().uri("/api/v1/audit-events?action=quota_changed").header(HttpHeaders.AUTHORIZATION, owner.bearer()).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.items.length()").isEqualTo(2)
                .jsonPath("$.items[0].actor.type").isEqualTo("operator")
                .jsonPath("$.items[0].details.quota").isEqualTo("daily_questions")
                .jsonPath("$.items[0].details.limit").isEqualTo("default")
                .jsonPath("$.items[1].details.limit").isEqualTo(-1);
        http.get().uri("/operator/v1/tenants/{id}/quotas", UUID.randomUUID()).header(HttpHeaders.AUTHORIZATION, bearer).exchange()
                .expectStatus().isNotFound();
        http.put().uri("/operator/v1/tenants/{id}/quotas/documents", UUID.randomUUID()).header(HttpHeaders.AUTHORIZATION, bearer)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("limit", 5)).exchange().expectStatus().isNotFound();
        http.get().uri("/operator/v1/tenants/not-a-uuid/quotas").header(HttpHeaders.AUTHORIZATION, bearer).exchange()
                .expectStatus().isNotFound();
        http.put().uri(path + "/weekly_naps").header(HttpHeaders.AUTHORIZATION, bearer)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("limit", 5)).exchange().expectStatus().isNotFound();
        http.put().uri(path + "/documents").header(HttpHeaders.AUTHORIZATION, bearer)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("limit", -2)).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("limit");
    }

    private WebTestClient.ResponseSpec ask(Account account) {
        return http.post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, account.bearer()).accept(MediaType.APPLICATION_JSON)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("question", QUESTION)).exchange();
    }

    private WebTestClient.ResponseSpec upload(Account account, String name, String text) {
        return http.post().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, account.bearer())
                .body(BodyInserters.fromMultipartData(Uploads.files(Uploads.text(name, text)))).exchange();
    }

    private JsonNode tenant(Account account) {
        return http.get().uri("/api/v1/tenant").header(HttpHeaders.AUTHORIZATION, account.bearer()).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private long documents(Account account) {
        return http.get().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, account.bearer()).exchange()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("total").asLong();
    }

    private void assertNoVectors(Account account) {
        index.count(new TenantId(account.tenantId())).as(StepVerifier::create).expectNext(0L).verifyComplete();
    }
}
