package io.docqa.document;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;
import reactor.core.publisher.Sinks;

/**
 * One file of an upload, handed on as the (cold) flux of its work while its part is being read. The part stays open
 * until the work has taken every byte of the file, so that the next part is read only after this one's; when the work
 * ends before that (it failed, say), the part ends with {@link #STOPPED}, so that no further byte of the upload is read.
 */
final class InFlightFile {

    /** Ends the reading of an upload whose file ended early; the file's own error is reported by its work. */
    static final RuntimeException STOPPED = new Stopped();

    private static final class Stopped extends RuntimeException {

        Stopped() {
            super("The upload is not read further", null, false, false);
        }
    }

    private InFlightFile() {
    }

    static <T> Flux<Flux<T>> of(Function<UploadedFile, ? extends Publisher<T>> handle, String filename, String declaredType,
            Flux<DataBuffer> content) {
        return Flux.defer(() -> {
            Sinks.Empty<Void> taken = Sinks.empty();
            AtomicBoolean allBytesTaken = new AtomicBoolean();
            Flux<T> work = Flux.defer(() -> handle.apply(new UploadedFile(filename, declaredType, content.doOnComplete(() -> {
                        allBytesTaken.set(true);
                        taken.tryEmitEmpty();
                    }))))
                    .doFinally(signal -> {
                        if (signal == SignalType.ON_COMPLETE) {
                            allBytesTaken.set(true);
                        }
                        taken.tryEmitEmpty();
                    });
            return Flux.concat(Mono.just(work), taken.asMono().then(Mono.defer(() -> allBytesTaken.get() ? Mono.empty() : Mono.error(STOPPED))));
        });
    }
}
