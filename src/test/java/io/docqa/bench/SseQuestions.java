package io.docqa.bench;

import java.time.Duration;
import java.util.Map;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks {@code POST /api/v1/chat} over a non-blocking client and reads the event stream as bytes arrive: the time from
 * sending the request to the first {@code token} event, and whether the stream ended with {@code done}.
 */
final class SseQuestions implements AutoCloseable {

    /** Times from sending the request; {@code doneNanos} is 0 unless the stream ended with {@code done}. */
    record Outcome(long sourcesNanos, long firstTokenNanos, long doneNanos, boolean done, String error) {

        boolean ok() {
            return done && error == null && firstTokenNanos > 0;
        }
    }

    private final ConnectionProvider connections;
    private final HttpClient client;
    private final JsonMapper json = JsonMapper.shared();

    SseQuestions(String baseUrl, int maxConnections) {
        this.connections = ConnectionProvider.builder("bench-sse")
                .maxConnections(maxConnections)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(Duration.ofMinutes(5))
                .build();
        // a burst of thousands of questions on 2 cores waits minutes for retrieval before its first byte
        this.client = HttpClient.create(connections).baseUrl(baseUrl).responseTimeout(Duration.ofMinutes(10));
    }

    Mono<Outcome> ask(String token, String question) {
        return ask(token, question, () -> { });
    }

    /** The same; {@code answering} runs once, when the first token arrives or else when the exchange ends. */
    Mono<Outcome> ask(String token, String question, Runnable answering) {
        String body = json.writeValueAsString(Map.of("question", question, "min_score", 0));
        Runnable once = new Once(answering);
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return client.headers(headers -> headers
                            .set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token)
                            .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                            .set(HttpHeaderNames.ACCEPT, "text/event-stream"))
                    .post()
                    .uri("/api/v1/chat")
                    .send(ByteBufFlux.fromString(Mono.just(body)))
                    .response((response, content) -> {
                        if (response.status().code() != 200) {
                            return content.aggregate().asString().defaultIfEmpty("")
                                    .map(text -> new Outcome(0, 0, 0, false, response.status().code() + " " + text));
                        }
                        Reading reading = new Reading(started, once);
                        return content.asString().doOnNext(reading::add).then(Mono.fromSupplier(reading::outcome));
                    })
                    .next()
                    .onErrorResume(error -> Mono.just(new Outcome(0, 0, 0, false, error.toString())))
                    .doFinally(signal -> once.run());
        });
    }

    private static final class Once implements Runnable {

        private final java.util.concurrent.atomic.AtomicReference<Runnable> action;

        Once(Runnable action) {
            this.action = new java.util.concurrent.atomic.AtomicReference<>(action);
        }

        @Override
        public void run() {
            Runnable pending = action.getAndSet(null);
            if (pending != null) {
                pending.run();
            }
        }
    }

    @Override
    public void close() {
        connections.dispose();
    }

    /**
     * What the stream showed so far. Markers can be split across two reads, so the end of the text before is searched
     * with each read; only that end is kept (thousands of answers at once would otherwise hold every token), and an
     * error event's text.
     */
    private static final class Reading {

        private static final int KEPT = 16;
        private static final int ERROR_TEXT = 300;

        private final long started;
        private final Runnable answering;
        private String tail = "";
        private StringBuilder error;
        private long sources;
        private long firstToken;
        private boolean done;
        private long doneAt;

        Reading(long started, Runnable answering) {
            this.started = started;
            this.answering = answering;
        }

        void add(String part) {
            String text = tail + part;
            if (sources == 0 && text.contains("event:sources")) {
                sources = System.nanoTime() - started;
            }
            if (firstToken == 0 && text.contains("event:token")) {
                firstToken = System.nanoTime() - started;
                answering.run();
            }
            if (!done && text.contains("event:done")) {
                done = true;
                doneAt = System.nanoTime() - started;
            }
            if (error != null) {
                error.append(part, 0, Math.min(part.length(), Math.max(0, ERROR_TEXT - error.length())));
            } else if (text.contains("event:error")) {
                error = new StringBuilder(text.substring(text.indexOf("event:error")));
            }
            tail = text.substring(Math.max(0, text.length() - KEPT));
        }

        Outcome outcome() {
            return new Outcome(sources, firstToken, doneAt, done, error == null ? null : error.substring(0, Math.min(error.length(), ERROR_TEXT)));
        }
    }
}
