package io.docqa.document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Writes a file's bytes to a temporary file for formats that need the whole file; the file is always deleted. */
final class Spool {

    private Spool() {
    }

    static <T> Flux<T> spooled(Flux<DataBuffer> bytes, Function<Path, Publisher<T>> use) {
        return Flux.usingWhen(
                Mono.fromCallable(() -> Files.createTempFile("docqa-upload-", ".part")).subscribeOn(Schedulers.boundedElastic()),
                file -> DataBufferUtils.write(bytes, file).thenMany(Flux.defer(() -> use.apply(file))),
                Spool::delete,
                (file, error) -> delete(file),
                Spool::delete);
    }

    private static Mono<Void> delete(Path file) {
        return Mono.<Void>fromRunnable(() -> {
            try {
                Files.deleteIfExists(file);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }
}
