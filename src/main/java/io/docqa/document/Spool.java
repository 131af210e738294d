package io.docqa.document;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes a stream of bytes to a private temporary file (non-blocking, through an AsynchronousFileChannel), hands the
 * file to a reader once it is complete, and deletes it when the reader completes, fails or is cancelled. A file that
 * cannot be created or written (a full disk) fails with {@link SpoolWriteException}; a failing upload keeps its error.
 */
final class Spool {

    private static final Logger log = LoggerFactory.getLogger(Spool.class);

    private Spool() {
    }

    /** Spools without a limit of its own: for bytes already bounded upstream (see {@link ByteStreamMeter}). */
    static <T> Flux<T> spooled(Flux<DataBuffer> bytes, Function<Path, ? extends Publisher<T>> reader) {
        return spooled(temporaryDirectory(), bytes, Long.MAX_VALUE, reader);
    }

    /** Spools in {@code directory} without a limit of its own. */
    static <T> Flux<T> spooled(Path directory, Flux<DataBuffer> bytes, Function<Path, ? extends Publisher<T>> reader) {
        return spooled(directory, bytes, Long.MAX_VALUE, reader);
    }

    /** Fails with {@link TooLargeException} as soon as more than {@code maxBytes} arrive. */
    static <T> Flux<T> spooled(Flux<DataBuffer> bytes, long maxBytes, Function<Path, ? extends Publisher<T>> reader) {
        return spooled(temporaryDirectory(), bytes, maxBytes, reader);
    }

    /** Spools in {@code directory}, failing with {@link TooLargeException} as soon as more than {@code maxBytes} arrive. */
    static <T> Flux<T> spooled(Path directory, Flux<DataBuffer> bytes, long maxBytes,
            Function<Path, ? extends Publisher<T>> reader) {
        Flux<DataBuffer> limited = ByteStreamMeter.limit(bytes, maxBytes);
        return Flux.usingWhen(
                Mono.fromCallable(() -> Files.createTempFile(directory, "docqa-spool-", ".tmp"))
                        .subscribeOn(Schedulers.boundedElastic())
                        .onErrorResume(IOException.class, error -> dropped(limited).then(Mono.error(new SpoolWriteException(error)))),
                file -> written(limited, file)
                        .thenMany(Flux.defer(() -> reader.apply(file))),
                Spool::delete,
                (file, error) -> delete(file),
                Spool::delete);
    }

    private static Mono<Void> written(Flux<DataBuffer> bytes, Path file) {
        AtomicBoolean uploadFailed = new AtomicBoolean();
        return DataBufferUtils.write(bytes.doOnError(error -> uploadFailed.set(true)), file)
                .onErrorMap(error -> error instanceof IOException && !uploadFailed.get(),
                        error -> new SpoolWriteException((IOException) error));
    }

    /** Bytes that cannot be written are read to the end and released, so that the client hears the answer. */
    private static Mono<Void> dropped(Flux<DataBuffer> bytes) {
        return bytes.doOnNext(DataBufferUtils::release).then();
    }

    private static Path temporaryDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static Mono<Void> delete(Path file) {
        return Mono.fromRunnable(() -> {
            try {
                Files.deleteIfExists(file);
            }
            catch (IOException e) {
                log.warn("Could not delete the spool file {}: {}", file, e.toString());
            }
        }).subscribeOn(Schedulers.boundedElastic()).then();
    }
}
