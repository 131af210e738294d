package io.docqa.document;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.web.reactive.function.server.ServerRequest;
import io.docqa.web.ApiException;
import reactor.netty.channel.AbortedException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads a {@code multipart/form-data} upload as it streams in: each part named {@code file} is handed on as an
 * {@link UploadedFile} while its bytes are still arriving. The parts are read strictly one after another; once every
 * byte of a file has arrived, the next part is read while that file is still worked on, up to
 * {@code docqa.upload.files-in-flight} files at once. What the files emit comes out file after file, in the order of the
 * parts. Once a file fails, a part is refused or the request cannot be read further, no further part is read (nor the
 * rest of a file that failed while its bytes arrived): the files already under way end and are reported, then the
 * upload ends with the first failure in the order of the parts. Other parts are skipped; the number of files and parts
 * is limited, and a declared length beyond any acceptable is refused before a byte is read.
 */
final class MultipartUpload {

    /** Events of a file kept while the files before it are still reported (the work itself is not held up by them). */
    private static final int EVENTS_AHEAD = 32;

    private MultipartUpload() {
    }

    static <T> Flux<T> eachFile(ServerRequest request, UploadProperties limits, Function<UploadedFile, Publisher<T>> handle) {
        MediaType type = request.headers().contentType().orElse(null);
        if (type == null || !MediaType.MULTIPART_FORM_DATA.equalsTypeAndSubtype(type)) {
            return Flux.error(new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "Upload files as multipart/form-data with one or more parts named 'file'"));
        }
        long declared = request.headers().contentLength().orElse(-1);
        long ceiling = limits.maxFileSize().toBytes() * limits.maxParts() + limits.maxPartHeaders().toBytes() * (limits.maxParts() + 1L);
        if (declared > ceiling) {
            return Flux.error(DocumentIngestion.tooLarge());
        }
        AtomicLong files = new AtomicLong();
        AtomicLong parts = new AtomicLong();
        AtomicBoolean failed = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Function<UploadedFile, Flux<T>> watched = file -> failed.get()
                ? Flux.error(InFlightFile.STOPPED)
                : Flux.from(handle.apply(file)).doOnError(error -> failed.set(true));
        AtomicReference<PartEvent> lastRead = new AtomicReference<>();
        return request.bodyToFlux(PartEvent.class)
                .map(event -> {
                    lastRead.set(event);
                    return new HeldEvent(event);
                })
                .windowUntil(held -> held.event().isLast())
                .concatMap(part -> part.switchOnFirst((first, events) -> {
                    if (!first.hasValue()) {
                        return events.thenMany(Flux.<Flux<T>>empty());
                    }
                    if (failed.get()) {
                        return Flux.<Flux<T>>error(InFlightFile.STOPPED);
                    }
                    PartEvent head = first.get().event();
                    boolean isFile = head instanceof FilePartEvent && "file".equals(head.name());
                    if ((isFile ? files.incrementAndGet() : 0) > limits.maxParts() || parts.incrementAndGet() > 2L * limits.maxParts()) {
                        return Flux.<Flux<T>>error(new ApiException(HttpStatus.PAYLOAD_TOO_LARGE,
                                "too_many_files", "At most " + limits.maxParts() + " files per upload"));
                    }
                    if (!isFile) {
                        return discard(events).thenMany(Flux.<Flux<T>>empty());
                    }
                    MediaType declaredType = head.headers().getContentType();
                    return InFlightFile.of(watched, ContentSniffer.safeFilename(((FilePartEvent) head).filename()),
                            declaredType == null ? null : declaredType.toString(),
                            events.map(HeldEvent::handOver).onErrorMap(MultipartUpload::interrupted, UploadInterruptedException::new));
                }), 0)
                .doOnDiscard(HeldEvent.class, HeldEvent::release)
                // what the reader made and never emitted; not its last emitted event, which reactor-core 3.8 discards
                // again when the upload is cancelled although it was delivered (reactor/reactor-core#4352)
                .doOnDiscard(PartEvent.class, event -> {
                    if (event != lastRead.get()) {
                        DataBufferUtils.release(event.content());
                    }
                })
                .onErrorResume(error -> Flux.just(Flux.error(error)))
                .flatMapSequential(work -> work.materialize().filter(signal -> !signal.isOnComplete()), limits.filesInFlight(), EVENTS_AHEAD)
                .<T>handle((signal, sink) -> {
                    if (signal.isOnNext()) {
                        sink.next(signal.get());
                    } else if (signal.getThrowable() != InFlightFile.STOPPED) {
                        failure.compareAndSet(null, signal.getThrowable());
                    }
                })
                .concatWith(Mono.defer(() -> failure.get() != null ? Mono.error(failure.get())
                        : files.get() == 0 ? Mono.error(ApiException.invalid("file", "at least one part named 'file' is required"))
                        : Mono.empty()));
    }

    /**
     * The file's bytes stopped before their end because the connection closed or was reset (Reactor may wrap the
     * transport's exception, the codec a decoding one), or because the upload was cancelled while they arrived.
     */
    private static boolean interrupted(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof AbortedException || cause instanceof CancellationException || AbortedException.isConnectionReset(cause)) {
                return true;
            }
        }
        return false;
    }

    /** The events' buffers are released once, by the upload's discard hook: {@code then} discards what it ignores. */
    private static Mono<Void> discard(Flux<HeldEvent> events) {
        return events.then();
    }
}
