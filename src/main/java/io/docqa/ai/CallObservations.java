package io.docqa.ai;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.util.context.ContextView;

/**
 * Calls to Chroma and Ollama as Micrometer observations: a timer {@code <name>} tagged {@code operation},
 * {@code outcome} ({@code success}, {@code error}, {@code cancelled}) and {@code error} (the exception's class, or
 * {@code none}), and, when tracing is on, a span that is a child of the request's. The observation is not made the
 * current one inside the call: with Reactor's automatic context propagation that would open and close its scope (and
 * the span's) around every signal of the call, every streamed token included.
 */
final class CallObservations {

    private final ObservationRegistry observations;
    private final MeterRegistry meters;

    CallObservations(ObservationRegistry observations, MeterRegistry meters) {
        this.observations = observations;
        this.meters = meters;
    }

    /** For the adapters built outside Spring (tests): nothing observed, nothing kept. */
    static CallObservations none() {
        return new CallObservations(ObservationRegistry.NOOP, new SimpleMeterRegistry());
    }

    MeterRegistry meters() {
        return meters;
    }

    <T> Mono<T> mono(String name, String operation, Mono<T> call) {
        return Mono.deferContextual(context -> {
            Observation observation = start(name, operation, context);
            return call.doOnError(observation::error)
                    .doFinally(signal -> stop(observation, signal));
        });
    }

    /**
     * The same for a stream; {@code firstElement} also times the wait for its first element, when not null. As for a
     * single call, the observation is not made the stream's current one: with automatic context propagation, a context
     * written around the stream would set and reset the thread locals for every element (every token of an answer),
     * and nothing inside the stream reads it (its span's parent is set here, from the subscriber's context).
     */
    <T> Flux<T> flux(String name, String operation, Flux<T> call, Timer firstElement) {
        return Flux.deferContextual(context -> {
            Observation observation = start(name, operation, context);
            long started = System.nanoTime();
            AtomicBoolean first = new AtomicBoolean(firstElement != null);
            return call.doOnNext(element -> {
                        if (first.get() && first.compareAndSet(true, false)) {
                            firstElement.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                        }
                    })
                    .doOnError(observation::error)
                    .doFinally(signal -> stop(observation, signal));
        });
    }

    private Observation start(String name, String operation, ContextView context) {
        Observation observation = Observation.createNotStarted(name, observations)
                .lowCardinalityKeyValue("operation", operation);
        Observation parent = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
        if (parent != null) {
            observation.parentObservation(parent);
        }
        return observation.start();
    }

    private static void stop(Observation observation, SignalType signal) {
        String outcome = switch (signal) {
            case ON_ERROR -> "error";
            case CANCEL -> "cancelled";
            default -> "success";
        };
        observation.lowCardinalityKeyValue(KeyValue.of("outcome", outcome)).stop();
    }
}
