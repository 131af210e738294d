package io.docqa.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import io.docqa.support.Api;
import io.docqa.support.Api.Account;
import io.docqa.support.FakeOllama;
import io.docqa.support.ServiceInstance;
import io.docqa.support.Uploads;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * Two instances of the service on one PostgreSQL and one Redis, with small limits: every limit is counted once for
 * both, whichever instance a request reaches. Each test plays clients of its own through {@code X-Forwarded-For}
 * (127.0.0.1 is a trusted proxy here).
 */
class SharedLimitsTest {

    private static final ParameterizedTypeReference<ServerSentEvent<JsonNode>> SSE = new ParameterizedTypeReference<>() { };
    private static final AtomicInteger ADDRESSES = new AtomicInteger();
    /** Refilled over a day: no token comes back while a test runs. */
    private static final Map<String, String> LIMITS = Map.ofEntries(
            Map.entry("docqa.rate-limit.signup-per-client.period", "24h"),
            Map.entry("docqa.rate-limit.signup-per-client.capacity", "3"),
            Map.entry("docqa.rate-limit.login-per-client.period", "24h"),
            Map.entry("docqa.rate-limit.login-per-client.capacity", "35"),
            Map.entry("docqa.rate-limit.login-per-account-and-client.period", "24h"),
            Map.entry("docqa.rate-limit.login-per-account-and-client.capacity", "5"),
            Map.entry("docqa.rate-limit.login-per-account.period", "24h"),
            Map.entry("docqa.rate-limit.login-per-account.capacity", "12"),
            Map.entry("docqa.rate-limit.refresh-per-client.period", "24h"),
            Map.entry("docqa.rate-limit.refresh-per-client.capacity", "4"),
            Map.entry("docqa.rate-limit.chat-per-caller.period", "24h"),
            Map.entry("docqa.rate-limit.chat-per-caller.capacity", "3"),
            Map.entry("docqa.rate-limit.chat-per-tenant.period", "24h"),
            Map.entry("docqa.rate-limit.chat-per-tenant.capacity", "5"),
            Map.entry("docqa.rate-limit.upload-per-caller.period", "24h"),
            Map.entry("docqa.rate-limit.upload-per-caller.capacity", "2"),
            Map.entry("docqa.rate-limit.upload-per-tenant.period", "24h"),
            Map.entry("docqa.rate-limit.upload-per-tenant.capacity", "3"),
            Map.entry("docqa.chat.shares.max-per-tenant", "2"),
            Map.entry("docqa.chat.max-concurrent-generations", "4"),
            Map.entry("docqa.chat.max-queued-generations", "10"),
            Map.entry("docqa.chat.cluster.max-concurrent-generations", "1"),
            Map.entry("docqa.chat.cluster.poll-interval", "50ms"));

    private static FakeOllama ollama;
    private static final List<ServiceInstance> instances = new ArrayList<>();

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // two contexts on a loaded machine
    static void startTwoInstances() {
        ollama = FakeOllama.start();
        instances.add(ServiceInstance.start(ollama.baseUrl(), LIMITS));
        instances.add(ServiceInstance.start(ollama.baseUrl(), LIMITS));
    }

    @AfterAll
    static void stop() {
        instances.forEach(ServiceInstance::close);
        if (ollama != null) {
            ollama.close();
        }
    }

    /** A client address of its own for each caller a test plays (documentation ranges, only ever sent as a header). */
    private static String newClient() {
        int n = ADDRESSES.incrementAndGet();
        return "203.0." + (113 + n / 250) + "." + (1 + n % 250);
    }

    /** Instance {@code i % 2}, as seen from {@code client}. */
    private static WebTestClient http(int i, String client) {
        return instances.get(i % 2).http().mutate().defaultHeader("X-Forwarded-For", client).build();
    }

    private static Account signup(String tenant) {
        return new Api(http(0, newClient())).signup(tenant);
    }

    private static WebTestClient.ResponseSpec login(int instance, String client, String email, String password) {
        return http(instance, client).post().uri("/api/v1/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("email", email, "password", password)).exchange();
    }

    private static void assertRateLimited(WebTestClient.ResponseSpec response) {
        response.expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, value -> assertThat(Long.parseLong(value)).isPositive())
                .expectBody().jsonPath("$.code").isEqualTo("rate_limited");
    }

    @Test
    void loginsFromOneClientAreCountedOnBothInstances() {
        String client = newClient();
        for (int i = 0; i < 35; i++) {
            login(i, client, Api.uniqueEmail("stuffing"), "wrong password!").expectStatus().isUnauthorized();
        }
        assertRateLimited(login(0, client, Api.uniqueEmail("stuffing"), "wrong password!"));
        assertRateLimited(login(1, client, Api.uniqueEmail("stuffing"), "wrong password!"));
        login(1, newClient(), Api.uniqueEmail("other"), "wrong password!").expectStatus().isUnauthorized();
    }

    @Test
    void parallelWrongPasswordsOnTwoInstancesAreCountedBeforeTheyAreCheckedAndTheVictimStillGetsInFromElsewhere() {
        Account victim = signup("Victim");
        String stranger = newClient();

        List<Integer> statuses = Flux.range(0, 30)
                .flatMap(i -> Mono.fromCallable(() -> login(i, stranger, victim.email(), "wrong password " + i)
                                .returnResult(Void.class).getStatus().value())
                        .subscribeOn(Schedulers.boundedElastic()), 30)
                .collectList()
                .block(Duration.ofMinutes(3));

        assertThat(statuses.stream().collect(Collectors.groupingBy(status -> status, Collectors.counting())))
                .as("5 guesses evaluated, 25 refused before the password was looked at")
                .isEqualTo(Map.of(401, 5L, 429, 25L));
        assertRateLimited(login(0, stranger, victim.email(), Account.PASSWORD));
        assertRateLimited(login(1, stranger, victim.email(), Account.PASSWORD));
        login(1, newClient(), victim.email(), Account.PASSWORD).expectStatus().isOk();
        login(0, newClient(), victim.email(), Account.PASSWORD).expectStatus().isOk();
    }

    @Test
    void aGuessSpreadOverManyClientsIsSlowedPerAccount() {
        Account victim = signup("Spread");
        for (int i = 0; i < 12; i++) {
            login(i, newClient(), victim.email(), "wrong password!").expectStatus().isUnauthorized();
        }
        assertRateLimited(login(0, newClient(), victim.email(), "wrong password!"));
    }

    @Test
    void signupsFromOneClientAreCountedOnBothInstances() {
        String client = newClient();
        for (int i = 0; i < 3; i++) {
            http(i, client).post().uri("/api/v1/auth/signup").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("tenant_name", "Many " + i, "email", Api.uniqueEmail("many"), "password", Account.PASSWORD))
                    .exchange().expectStatus().isCreated();
        }
        assertRateLimited(http(1, client).post().uri("/api/v1/auth/signup").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tenant_name", "One more", "email", Api.uniqueEmail("many"), "password", Account.PASSWORD))
                .exchange());
    }

    @Test
    void refreshesFromOneClientAreCountedOnBothInstancesBeforeTheTokenIsLookedAt() {
        String client = newClient();
        for (int i = 0; i < 4; i++) {
            http(i, client).post().uri("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("refresh_token", "rt_" + UUID.randomUUID())).exchange().expectStatus().isUnauthorized();
        }
        assertRateLimited(http(0, client).post().uri("/api/v1/auth/refresh").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("refresh_token", "rt_" + UUID.randomUUID())).exchange());
    }

    @Test
    void questionsAreCountedPerCallerAndPerTenantOnBothInstances() {
        Account owner = signup("Questions");
        Account colleague = new Api(http(1, newClient())).addUser(owner, "viewer");
        for (int i = 0; i < 3; i++) {
            askForJson(i, owner).expectStatus().isOk();
        }
        assertRateLimited(askForJson(0, owner));
        askForJson(1, colleague).expectStatus().isOk();
        askForJson(0, colleague).expectStatus().isOk();
        assertRateLimited(askForJson(1, colleague)); // the tenant's 5 are spent
        askForJson(1, signup("Elsewhere")).expectStatus().isOk();
    }

    @Test
    void uploadsAreCountedPerCallerOnBothInstances() {
        Account owner = signup("Uploads");
        upload(0, owner, "one.txt", "The first note is about apples.").expectStatus().isCreated();
        upload(1, owner, "two.txt", "The second note is about pears.").expectStatus().isCreated();
        assertRateLimited(upload(0, owner, "three.txt", "The third note is about plums."));
    }

    @Test
    void atMostOneGenerationAtOnceAcrossTheCluster() {
        Account owner = signup("Cluster");
        upload(0, owner, "tides.txt", "The tide at the old harbour turns every six hours.").expectStatus().isCreated();
        Account colleague = new Api(http(1, newClient())).addUser(owner, "viewer");
        ollama.reset().answer(tokens(30)).tokenDelay(Duration.ofMillis(100));
        AtomicInteger most = new AtomicInteger();
        Disposable watch = Flux.interval(Duration.ofMillis(10)).subscribe(tick -> most.accumulateAndGet(ollama.activeAnswers(), Math::max));
        try {
            Flux<ServerSentEvent<JsonNode>> first = ask(0, owner);
            List<ServerSentEvent<JsonNode>> firstEvents = new java.util.concurrent.CopyOnWriteArrayList<>();
            first.subscribe(firstEvents::add);
            await().atMost(Duration.ofSeconds(60)).until(() -> ollama.activeAnswers() == 1);

            List<ServerSentEvent<JsonNode>> second = ask(1, colleague).collectList().block(Duration.ofSeconds(90));

            await().atMost(Duration.ofSeconds(30)).until(() -> firstEvents.stream().anyMatch(e -> "done".equals(e.event())));
            assertThat(second).extracting(ServerSentEvent::event).contains("token").last().isEqualTo("done");
            assertThat(ollama.requests()).hasSize(2);
            assertThat(most.get()).as("answers streaming at once").isEqualTo(1);
        }
        finally {
            watch.dispose();
        }
    }

    @Test
    void aTenantPastItsShareIsRefusedWhileAnotherTenantIsServed() {
        Account flooder = signup("Flood");
        upload(0, flooder, "flood.txt", "The flood gates of the canal close at dusk.").expectStatus().isCreated();
        Account colleague = new Api(http(0, newClient())).addUser(flooder, "viewer");
        Account other = signup("Patient");
        upload(0, other, "patient.txt", "The patient gardener waters the roses at dawn.").expectStatus().isCreated();
        ollama.reset().answer(tokens(20)).tokenDelay(Duration.ofMillis(100));

        List<List<ServerSentEvent<JsonNode>>> running = new ArrayList<>();
        for (Account asker : List.of(flooder, colleague)) {
            List<ServerSentEvent<JsonNode>> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            ask(0, asker).subscribe(events::add);
            await().atMost(Duration.ofSeconds(60)).until(() -> !events.isEmpty());
            running.add(events);
        }

        assertRateLimited(http(0, newClient()).post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, flooder.bearer())
                .accept(MediaType.TEXT_EVENT_STREAM).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("question", "When do the flood gates close?", "min_score", 0)).exchange());
        List<ServerSentEvent<JsonNode>> served = ask(0, other).collectList().block(Duration.ofSeconds(90));
        assertThat(served).extracting(ServerSentEvent::event).last().isEqualTo("done");
        await().atMost(Duration.ofSeconds(60)).until(() -> running.stream()
                .allMatch(events -> events.stream().anyMatch(e -> "done".equals(e.event()))));
    }

    private static Flux<ServerSentEvent<JsonNode>> ask(int instance, Account account) {
        return http(instance, newClient()).post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, account.bearer())
                .accept(MediaType.TEXT_EVENT_STREAM).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("question", "What does the note say?", "min_score", 0))
                .exchange()
                .expectStatus().isOk()
                .returnResult(SSE)
                .getResponseBody()
                .filter(event -> event.event() != null);
    }

    private static WebTestClient.ResponseSpec askForJson(int instance, Account account) {
        return http(instance, newClient()).post().uri("/api/v1/chat").header(HttpHeaders.AUTHORIZATION, account.bearer())
                .accept(MediaType.APPLICATION_JSON).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("question", "Is there anything here?")).exchange();
    }

    private static WebTestClient.ResponseSpec upload(int instance, Account account, String name, String text) {
        return http(instance, newClient()).post().uri("/api/v1/documents").header(HttpHeaders.AUTHORIZATION, account.bearer())
                .body(BodyInserters.fromMultipartData(Uploads.files(Uploads.text(name, text)))).exchange();
    }

    private static String[] tokens(int count) {
        String[] tokens = new String[count];
        for (int i = 0; i < count; i++) {
            tokens[i] = " word" + i;
        }
        return tokens;
    }
}
