package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.util.unit.DataSize;
import io.docqa.web.ApiException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import reactor.test.StepVerifier;

class MultipartUploadTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final NettyDataBufferFactory NETTY = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);

    private final List<String> started = new CopyOnWriteArrayList<>();
    private final List<Throwable> contentErrors = new CopyOnWriteArrayList<>();
    private final List<NettyDataBuffer> created = new CopyOnWriteArrayList<>();
    private final AtomicInteger pulled = new AtomicInteger();
    private final Map<String, Sinks.Empty<Void>> finish = new ConcurrentHashMap<>();

    @Test
    void theNextFilesAreTakenWhileTheOnesBeforeAreStillWorkedOnAndTheirEventsComeOutInOrder() {
        Flux<String> events = MultipartUpload.eachFile(request("a.txt", "b.txt", "c.txt", "d.txt", "e.txt"), limits(2), this::handle);

        StepVerifier.create(events)
                .then(() -> assertThat(started).containsExactly("a.txt", "b.txt"))
                .then(() -> done("b.txt"))
                .then(() -> assertThat(started).as("at most two files at once").containsExactly("a.txt", "b.txt"))
                .then(() -> done("a.txt"))
                .expectNext("a.txt read", "a.txt done", "b.txt read", "b.txt done")
                .then(() -> assertThat(started).containsExactly("a.txt", "b.txt", "c.txt", "d.txt"))
                .then(() -> done("d.txt"))
                .then(() -> done("c.txt"))
                .expectNext("c.txt read", "c.txt done", "d.txt read", "d.txt done")
                .then(() -> done("e.txt"))
                .expectNext("e.txt read", "e.txt done")
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void aFileFailingWhileItsBytesArriveStopsTheReadingAtOnceButTheOneBeforeEndsAndIsReportedFirst() {
        Flux<String> events = MultipartUpload.eachFile(request(counted(Flux.concat(parts("a.txt"), longPart("bad.txt"), parts("c.txt")))),
                limits(3), this::handle);

        StepVerifier.create(events)
                .then(() -> assertThat(started).containsExactly("a.txt", "bad.txt"))
                .expectNext("a.txt read")
                .then(() -> assertThat(pulled.get()).as("the rest of bad.txt is not read while a.txt is pending").isLessThan(10))
                .then(() -> done("a.txt"))
                .expectNext("a.txt done")
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiException.class).hasMessageContaining("bad.txt"))
                .verify(WAIT);
        assertThat(started).as("no file after the failing one is taken").containsExactly("a.txt", "bad.txt");
        assertThat(pulled.get()).as("the rest of bad.txt is not read").isLessThan(10);
        assertEveryBufferReleased();
    }

    @Test
    void aFileTooLargeBehindASlowEarlierFileStopsTheReadingAndComesOutAfterTheEarlierFilesEvents() {
        Flux<String> events = MultipartUpload.eachFile(request(counted(Flux.concat(parts("a.txt"), longPart("big.txt"), parts("c.txt")))),
                limits(3), this::handle);

        StepVerifier.create(events)
                .expectNext("a.txt read")
                .then(() -> assertThat(pulled.get()).as("the rest of big.txt is not read while a.txt is pending").isLessThan(10))
                .then(() -> done("a.txt"))
                .expectNext("a.txt done")
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiException.class)
                        .extracting(e -> ((ApiException) e).status()).isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE))
                .verify(WAIT);
        assertThat(started).containsExactly("a.txt", "big.txt");
        assertEveryBufferReleased();
    }

    @Test
    void onePartTooManyBehindASlowEarlierFileIsNotReadAndComesOutAfterTheEarlierFilesEvents() {
        Flux<String> events = MultipartUpload.eachFile(request(counted(Flux.concat(parts("a.txt"), longPart("c.txt")))),
                new UploadProperties(DataSize.ofMegabytes(1), 1, DataSize.ofKilobytes(16), 3, null), this::handle);

        StepVerifier.create(events)
                .expectNext("a.txt read")
                .then(() -> assertThat(pulled.get()).as("the part too many is not read while a.txt is pending").isLessThan(10))
                .then(() -> done("a.txt"))
                .expectNext("a.txt done")
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiException.class).hasMessageContaining("At most 1 files"))
                .verify(WAIT);
        assertThat(started).containsExactly("a.txt");
        assertEveryBufferReleased();
    }

    @Test
    void aFileAlreadyInFlightWhenAnEarlierOneFailsEndsAndIsReportedBeforeTheErrorAndNoFurtherFileIsTaken() {
        Flux<String> events = MultipartUpload.eachFile(request(Flux.concat(parts("late-bad.txt", "b.txt"), longPart("c.txt"))), limits(2),
                this::handle);

        StepVerifier.create(events)
                .expectNext("late-bad.txt read")
                .then(() -> assertThat(started).containsExactly("late-bad.txt", "b.txt"))
                .then(() -> done("late-bad.txt"))
                .expectNext("b.txt read")
                .then(() -> assertThat(started).as("no file after the failing one is taken").containsExactly("late-bad.txt", "b.txt"))
                .then(() -> done("b.txt"))
                .expectNext("b.txt done")
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiException.class).hasMessageContaining("late-bad.txt"))
                .verify(WAIT);
        assertThat(started).containsExactly("late-bad.txt", "b.txt");
        assertEveryBufferReleased();
    }

    @Test
    void aFileStillStreamingWhenTheUploadIsCutSeesItsBytesInterrupted() {
        Sinks.Many<DataBuffer> arriving = Sinks.many().unicast().onBackpressureBuffer();
        arriving.tryEmitNext(buffer("the first bytes"));
        Flux<PartEvent> parts = FilePartEvent.create("file", "a.txt", MediaType.TEXT_PLAIN, arriving.asFlux()).cast(PartEvent.class);
        Flux<String> events = MultipartUpload.eachFile(request(parts), limits(3), this::handle);

        StepVerifier.create(events)
                .then(() -> await().until(() -> started.contains("a.txt")))
                .thenCancel()
                .verify(WAIT);
        await().untilAsserted(() -> assertThat(contentErrors).singleElement().isInstanceOf(UploadInterruptedException.class));
    }

    @Test
    void aRequestThatCannotBeReadFurtherEndsAfterTheFilesBeforeAreReported() {
        Flux<PartEvent> parts = Flux.concat(parts("a.txt"), Flux.error(new IllegalStateException("malformed part")));
        Flux<String> events = MultipartUpload.eachFile(request(parts), limits(3), this::handle);

        StepVerifier.create(events)
                .expectNext("a.txt read")
                .then(() -> done("a.txt"))
                .expectNext("a.txt done")
                .expectErrorMessage("malformed part")
                .verify(WAIT);
    }

    /** Reads a file's bytes, then waits until the test lets it finish; a file named bad.txt fails on its first bytes. */
    private Flux<String> handle(UploadedFile file) {
        String name = file.filename();
        started.add(name);
        Sinks.Empty<Void> done = finish.computeIfAbsent(name, key -> Sinks.empty());
        if (name.equals("bad.txt")) {
            return file.content().take(1).doOnNext(DataBufferUtils::release)
                    .then(Mono.<String>error(new ApiException(HttpStatus.BAD_REQUEST, "bad", name + " is bad"))).flux();
        }
        if (name.equals("big.txt")) {
            return file.content().take(2).doOnNext(DataBufferUtils::release)
                    .then(Mono.<String>error(DocumentIngestion.tooLarge())).flux();
        }
        Mono<String> read = file.content().doOnNext(DataBufferUtils::release).doOnError(contentErrors::add).then(Mono.just(name + " read"));
        if (name.equals("late-bad.txt")) {
            return read.concatWith(done.asMono().then(Mono.error(new ApiException(HttpStatus.BAD_REQUEST, "bad", name + " is bad"))));
        }
        return read.concatWith(done.asMono().then(Mono.just(name + " done")));
    }

    private void done(String name) {
        finish.computeIfAbsent(name, key -> Sinks.empty()).tryEmitEmpty();
    }

    private static UploadProperties limits(int filesInFlight) {
        return new UploadProperties(DataSize.ofMegabytes(1), 10, DataSize.ofKilobytes(16), filesInFlight, null);
    }

    private static MockServerRequest request(String... names) {
        return request(parts(names));
    }

    private static MockServerRequest request(Flux<PartEvent> parts) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.parseMediaType("multipart/form-data; boundary=test"));
        return MockServerRequest.builder().headers(headers).body(parts);
    }

    private static Flux<PartEvent> parts(String... names) {
        return Flux.fromArray(names).concatMap(name -> FilePartEvent.create("file", name, MediaType.TEXT_PLAIN,
                Flux.just(buffer("the text of "), buffer(name))));
    }

    /** A part of 100 buffers, made as they are read. */
    private Flux<PartEvent> longPart(String name) {
        return FilePartEvent.create("file", name, MediaType.TEXT_PLAIN, Flux.range(0, 100).map(i -> {
            NettyDataBuffer buffer = NETTY.wrap(Unpooled.copiedBuffer("line " + i + " of " + name + "\n", StandardCharsets.UTF_8));
            created.add(buffer);
            return buffer;
        })).cast(PartEvent.class);
    }

    private Flux<PartEvent> counted(Flux<PartEvent> parts) {
        return parts.doOnNext(event -> pulled.incrementAndGet());
    }

    private void assertEveryBufferReleased() {
        assertThat(created).isNotEmpty();
        await().untilAsserted(() -> assertThat(created).allSatisfy(buffer -> assertThat(buffer.getNativeBuffer().refCnt())
                .as("a buffer of the upload left unreleased").isZero()));
    }

    private static DataBuffer buffer(String text) {
        return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
