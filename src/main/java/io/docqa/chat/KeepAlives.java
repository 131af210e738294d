package io.docqa.chat;

import java.time.Duration;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Comment lines between the events of a stream while it is silent, so that proxies and clients keep it open. */
final class KeepAlives {

    /** Marks the stream's end inside the merge: an identity check per element, where a materialized signal was an object. */
    private static final Object END = new Object();

    private KeepAlives() {
    }

    /** {@code stream}, with {@code keepAlive} every {@code interval}; it ends (or fails) when {@code stream} does. */
    @SuppressWarnings("unchecked")
    static <T> Flux<T> between(Flux<T> stream, Duration interval, T keepAlive) {
        Flux<Object> ended = ((Flux<Object>) (Flux<?>) stream).concatWith(Mono.just(END));
        return (Flux<T>) Flux.merge(ended, Flux.interval(interval).map(tick -> keepAlive))
                .takeUntil(element -> element == END)
                .filter(element -> element != END);
    }
}
