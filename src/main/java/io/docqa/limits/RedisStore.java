package io.docqa.limits;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import io.docqa.web.ApiException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import reactor.core.publisher.Mono;

/**
 * One Lettuce connection to Redis, opened on first use without blocking and opened again after a failed attempt;
 * Lettuce reconnects an established one by itself. Commands fail after {@code docqa.redis.timeout}, and at once while
 * disconnected, as {@code 503 limits_unavailable}.
 */
@Component
public class RedisStore implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RedisStore.class);
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisClient client;
    private final RedisURI uri;
    private final String keyPrefix;
    private CompletableFuture<StatefulRedisConnection<String, byte[]>> connection;

    RedisStore(RedisProperties properties) {
        this.uri = RedisURI.create(properties.url());
        this.uri.setTimeout(properties.timeout());
        this.keyPrefix = properties.keyPrefix();
        this.client = RedisClient.create();
        this.client.setOptions(ClientOptions.builder()
                .timeoutOptions(TimeoutOptions.enabled(properties.timeout()))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
    }

    /** The connection, once open; fails with {@code 503 limits_unavailable} when Redis cannot be reached. */
    Mono<StatefulRedisConnection<String, byte[]>> connection() {
        return Mono.defer(() -> Mono.fromFuture(current(), true)).onErrorMap(RedisStore::unavailable);
    }

    /** {@code docqa.redis.key-prefix} + {@code name}. */
    String key(String name) {
        return keyPrefix + name;
    }

    /** Whether Redis answers a PING now. */
    public Mono<Boolean> isAvailable() {
        return connection()
                .flatMap(open -> Mono.fromCompletionStage(open.async().ping()))
                .map("PONG"::equals)
                .onErrorReturn(false);
    }

    private synchronized CompletableFuture<StatefulRedisConnection<String, byte[]>> current() {
        if (connection == null || connection.isCompletedExceptionally()) {
            connection = client.connectAsync(CODEC, uri).toCompletableFuture();
            connection.whenComplete((open, error) -> {
                if (error != null) {
                    log.warn("Redis at {}:{} is not reachable: {}", uri.getHost(), uri.getPort(), error.toString());
                }
            });
        }
        return connection;
    }

    static Throwable unavailable(Throwable error) {
        if (error instanceof ApiException) {
            return error;
        }
        return ApiException.unavailable("limits_unavailable", "The store of rate limits is unreachable; try again shortly",
                Duration.ofSeconds(5));
    }

    @Override
    public void destroy() {
        CompletableFuture<StatefulRedisConnection<String, byte[]>> open;
        synchronized (this) {
            open = connection;
        }
        if (open != null && open.isDone() && !open.isCompletedExceptionally()) {
            open.getNow(null).closeAsync();
        }
        client.shutdownAsync();
    }
}
