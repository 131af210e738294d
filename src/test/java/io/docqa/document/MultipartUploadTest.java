package io.docqa.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
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
import reactor.test.StepVerifier;

class MultipartUploadTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<String> started = new CopyOnWriteArrayList<>();
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
    void aFileFailingWhileItsBytesArriveStopsTheFilesAfterItButTheOneBeforeEndsAndIsReportedFirst() {
        Flux<String> events = MultipartUpload.eachFile(request("a.txt", "bad.txt", "c.txt"), limits(3), this::handle);

        StepVerifier.create(events)
                .then(() -> assertThat(started).containsExactly("a.txt", "bad.txt"))
                .then(() -> done("a.txt"))
                .expectNext("a.txt read", "a.txt done")
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(ApiException.class).hasMessageContaining("bad.txt"))
                .verify(WAIT);
        assertThat(started).as("no file after the failing one is taken").containsExactly("a.txt", "bad.txt");
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
                    .then(Mono.<String>error(new ApiException(org.springframework.http.HttpStatus.BAD_REQUEST, "bad", name + " is bad"))).flux();
        }
        Mono<String> read = file.content().doOnNext(DataBufferUtils::release).then(Mono.just(name + " read"));
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

    private static DataBuffer buffer(String text) {
        return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
