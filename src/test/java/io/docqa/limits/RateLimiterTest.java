package io.docqa.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpStatus;
import io.docqa.support.TestRedis;
import io.docqa.web.ApiException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The buckets against the real Redis of the tests; two limiters on their own connections stand for two instances. */
class RateLimiterTest {

    private final String prefix = TestRedis.keyPrefix() + "unit-" + UUID.randomUUID() + ":";
    private final List<RedisStore> stores = new java.util.ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(RedisStore::destroy);
    }

    private RateLimiter limiter(String url, Map<String, String> limits) {
        RedisProperties redis = new RedisProperties(URI.create(url), Duration.ofSeconds(10), prefix); // a loaded machine is slow, not away
        RedisStore store = new RedisStore(redis);
        stores.add(store);
        Map<String, String> prefixed = new java.util.HashMap<>();
        limits.forEach((name, value) -> prefixed.put("docqa.rate-limit." + name, value));
        RateLimitProperties properties = new Binder(new MapConfigurationPropertySource(prefixed))
                .bindOrCreate("docqa.rate-limit", RateLimitProperties.class);
        return new RateLimiter(store, properties, redis);
    }

    @Test
    void parallelRequestsOnTwoInstancesGetExactlyTheCapacityBetweenThem() {
        Map<String, String> limits = Map.of("login-per-client.capacity", "5", "login-per-client.period", "1h");
        RateLimiter one = limiter(TestRedis.url(), limits);
        RateLimiter two = limiter(TestRedis.url(), limits);

        List<String> outcomes = Flux.range(0, 30)
                .flatMap(i -> (i % 2 == 0 ? one : two).consume(Rule.LOGIN_PER_CLIENT, "203.0.113.5")
                        .thenReturn("passed")
                        .onErrorResume(ApiException.class, refused -> Mono.just(refused.code() + " " + refused.status().value()))
                        .subscribeOn(Schedulers.parallel()), 30)
                .collectList()
                .block(Duration.ofSeconds(60));

        assertThat(outcomes).filteredOn("passed"::equals).hasSize(5);
        assertThat(outcomes).filteredOn("rate_limited 429"::equals).hasSize(25);
        one.consume(Rule.LOGIN_PER_CLIENT, "203.0.113.6").as(StepVerifier::create).verifyComplete();
    }

    @Test
    void aRefusalSaysWhenTheNextTokenComes() {
        RateLimiter limiter = limiter(TestRedis.url(), Map.of("signup-per-client.capacity", "2", "signup-per-client.period", "1h"));
        limiter.consume(Rule.SIGNUP_PER_CLIENT, "a").then(limiter.consume(Rule.SIGNUP_PER_CLIENT, "a"))
                .as(StepVerifier::create).verifyComplete();

        limiter.consume(Rule.SIGNUP_PER_CLIENT, "a").as(StepVerifier::create)
                .expectErrorSatisfies(error -> {
                    ApiException problem = (ApiException) error;
                    assertThat(problem.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
                    assertThat(problem.code()).isEqualTo("rate_limited");
                    // 2 an hour: the next one in half an hour
                    assertThat(problem.retryAfter()).isBetween(Duration.ofMinutes(29), Duration.ofMinutes(31));
                })
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aTokenGivenBackAndAResetCountAgain() {
        RateLimiter limiter = limiter(TestRedis.url(), Map.of("login-per-account.capacity", "1"));
        limiter.consume(Rule.LOGIN_PER_ACCOUNT, "x").as(StepVerifier::create).verifyComplete();
        limiter.giveBack(Rule.LOGIN_PER_ACCOUNT, "x").then(limiter.consume(Rule.LOGIN_PER_ACCOUNT, "x"))
                .as(StepVerifier::create).verifyComplete();
        limiter.consume(Rule.LOGIN_PER_ACCOUNT, "x").as(StepVerifier::create).expectError(ApiException.class).verify(Duration.ofSeconds(10));
        limiter.reset(Rule.LOGIN_PER_ACCOUNT, "x").then(limiter.consume(Rule.LOGIN_PER_ACCOUNT, "x"))
                .as(StepVerifier::create).verifyComplete();
    }

    @Test
    void redisAwayAnswers503WithRetryAfterAndIsNotAvailable() {
        RateLimiter limiter = limiter("redis://127.0.0.1:1", Map.of());

        limiter.consume(Rule.LOGIN_PER_CLIENT, "203.0.113.7").as(StepVerifier::create)
                .expectErrorSatisfies(error -> {
                    ApiException problem = (ApiException) error;
                    assertThat(problem.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(problem.code()).isEqualTo("limits_unavailable");
                    assertThat(problem.retryAfter()).isPositive();
                })
                .verify(Duration.ofSeconds(30));
        stores.get(0).isAvailable().as(StepVerifier::create).expectNext(false).verifyComplete();
    }

    @Test
    void subjectsAreStoredOnlyAsHashes() {
        RateLimiter limiter = limiter(TestRedis.url(), Map.of());
        limiter.consume(Rule.SIGNUP_PER_ACCOUNT, "someone@example.test").as(StepVerifier::create).verifyComplete();

        List<String> keys = stores.get(0).connection()
                .flatMap(connection -> Mono.fromCompletionStage(connection.async().keys(prefix + "*")))
                .block(Duration.ofSeconds(10));
        assertThat(keys).hasSize(1).allSatisfy(key -> assertThat(key).startsWith(prefix + "rl:signup:account:")
                .doesNotContain("someone").doesNotContain("example"));
    }
}
