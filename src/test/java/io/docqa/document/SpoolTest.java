package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class SpoolTest {

    private final TrackedBuffers buffers = new TrackedBuffers();
    private final AtomicReference<Path> spooled = new AtomicReference<>();
    /** A folder of this test's own: other processes on the machine spool into the shared temporary directory. */
    @TempDir
    Path directory;

    @Test
    void theReaderSeesTheWholeFileWhichIsThenDeleted() {
        byte[] bytes = "spooled bytes, ".repeat(10_000).getBytes(StandardCharsets.UTF_8);
        Spool.spooled(directory, Flux.fromIterable(buffers.split(bytes, 7, 4096, 70_000)), this::readBack)
                .as(StepVerifier::create)
                .assertNext(content -> assertThat(content).isEqualTo(bytes))
                .verifyComplete();
        assertThat(spooled.get()).isNotNull().doesNotExist();
        assertThat(buffers.unreleased()).isZero();
    }

    @Test
    void theFileIsDeletedWhenTheReaderFails() {
        Spool.spooled(directory, Flux.just(buffers.of("%PDF-1.7".getBytes(StandardCharsets.UTF_8))),
                        file -> readBack(file).then(Mono.error(new UnreadableContentException("The PDF could not be read"))))
                .as(StepVerifier::create)
                .verifyError(UnreadableContentException.class);
        assertThat(spooled.get()).isNotNull().doesNotExist();
    }

    @Test
    void aDiskThatRefusesTheFileIsAStorageFailureNotAnUploadFailure() throws IOException {
        Path gone = Files.createTempDirectory("docqa-spool-test-");
        Files.delete(gone);
        Spool.spooled(gone, Flux.just(buffers.of(new byte[100])), Mono::just)
                .as(StepVerifier::create)
                .verifyError(SpoolWriteException.class);
        assertThat(DocumentErrors.toProblem(new SpoolWriteException(new IOException("No space left on device"))))
                .isInstanceOfSatisfying(io.docqa.web.ApiException.class, problem -> {
                    assertThat(problem.status().value()).isEqualTo(507);
                    assertThat(problem.code()).isEqualTo("insufficient_storage");
                });
        assertThat(buffers.unreleased()).isZero();
    }

    @Test
    void theFileIsDeletedWhenTheUploadFails() {
        AtomicBoolean readerCalled = new AtomicBoolean();
        Spool.spooled(directory, Flux.just(buffers.of(new byte[100])).concatWith(Flux.error(new IOException("connection reset"))),
                        file -> {
                            readerCalled.set(true);
                            return Mono.just(file);
                        })
                .as(StepVerifier::create)
                .verifyErrorMessage("connection reset");
        assertThat(readerCalled).isFalse();
        assertThat(spoolFiles()).as("spool files left behind").isEmpty();
        assertThat(buffers.unreleased()).isZero();
    }

    @Test
    void theFileIsDeletedWhenTheClientGoesAwayWhileReading() {
        Spool.spooled(directory, Flux.just(buffers.of(new byte[100])),
                        file -> readBack(file).thenMany(Flux.interval(Duration.ofMillis(10))))
                .as(StepVerifier::create)
                .assertNext(tick -> assertThat(spooled.get()).exists())
                .thenCancel()
                .verify();
        awaitNoNewSpoolFiles();
        assertThat(spooled.get()).doesNotExist();
    }

    @Test
    void theFileIsDeletedWhenTheClientGoesAwayWhileWriting() {
        AtomicBoolean sourceCancelled = new AtomicBoolean();
        Flux<DataBuffer> slowUpload = Flux.interval(Duration.ofMillis(5)).onBackpressureDrop().map(i -> buffers.of(new byte[512]))
                .doOnCancel(() -> sourceCancelled.set(true));
        Spool.spooled(directory, slowUpload, this::readBack)
                .as(StepVerifier::create)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(100))
                .thenCancel()
                .verify();
        awaitTrue(sourceCancelled);
        awaitNoNewSpoolFiles();
    }

    @Test
    void aSpoolOverItsLimitFailsAndIsDeleted() {
        AtomicInteger produced = new AtomicInteger();
        Flux<DataBuffer> endless = Flux.generate(sink -> {
            produced.incrementAndGet();
            sink.next(buffers.of(new byte[1000]));
        });
        Spool.spooled(directory, endless, 5_000, this::readBack)
                .as(StepVerifier::create)
                .verifyError(TooLargeException.class);
        assertThat(produced.get()).as("buffers read from the upload").isLessThanOrEqualTo(6);
        assertThat(spoolFiles()).as("spool files left behind").isEmpty();
    }

    private Mono<byte[]> readBack(Path file) {
        spooled.set(file);
        return Mono.fromCallable(() -> Files.readAllBytes(file));
    }

    private java.util.List<Path> spoolFiles() {
        try (var files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().startsWith("docqa-spool-")).toList();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A cancelled spool deletes its file off the caller's thread, a moment after the cancel returns. */
    private void awaitNoNewSpoolFiles() {
        Awaitility.await("spool files deleted").atMost(Duration.ofSeconds(30)).until(() -> spoolFiles().isEmpty());
    }

    private static void awaitTrue(AtomicBoolean flag) {
        Awaitility.await("the upload was cancelled").atMost(Duration.ofSeconds(30)).untilTrue(flag);
    }
}
