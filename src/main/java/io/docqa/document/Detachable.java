package io.docqa.document;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.docqa.web.RequestFacts;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Runs work apart from the subscriber that asked for it, passing on what the work emits. Until the work calls the
 * {@code detach} it is given, the subscriber's cancel stops it; from then on the work goes on to its end alone, still
 * with the request's facts (for its logs and audit records) but nothing else of the subscriber's context.
 */
final class Detachable {

    private Detachable() {
    }

    static <T> Flux<T> run(Function<Runnable, Flux<T>> work) {
        return Flux.deferContextual(context -> {
            Sinks.Many<T> out = Sinks.many().unicast().onBackpressureBuffer();
            AtomicBoolean detached = new AtomicBoolean();
            Disposable running = work.apply(() -> detached.set(true))
                    .contextWrite(RequestFacts.carriedFrom(context))
                    .subscribe(out::tryEmitNext, out::tryEmitError, out::tryEmitComplete);
            return out.asFlux().doOnCancel(() -> {
                if (!detached.get()) {
                    running.dispose();
                }
            });
        });
    }
}
