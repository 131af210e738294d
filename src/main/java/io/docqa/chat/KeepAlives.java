package io.docqa.chat;

import java.time.Duration;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Signal;

/** Comment lines between the events of a stream while it is silent, so that proxies and clients keep it open. */
final class KeepAlives {

    private KeepAlives() {
    }

    /** {@code stream}, with {@code keepAlive} every {@code interval}; it ends (or fails) when {@code stream} does. */
    static <T> Flux<T> between(Flux<T> stream, Duration interval, T keepAlive) {
        return Flux.merge(stream.materialize(), Flux.interval(interval).map(tick -> Signal.next(keepAlive)))
                .takeUntil(signal -> !signal.isOnNext())
                .dematerialize();
    }
}
