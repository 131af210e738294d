package io.docqa.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ChromaWritesTest {

    private static final ChromaAddress COLLECTION = new ChromaAddress("default_tenant", "default_database", "docqa-a");
    private static final ChromaAddress OTHER = new ChromaAddress("default_tenant", "default_database", "docqa-b");
    private static final Duration LINGER = Duration.ofMillis(150);

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final ChromaWrites writes = new ChromaWrites(LINGER, 10, clock, (address, records) -> {
        Call call = new Call(address, records.ids(), Sinks.empty());
        calls.add(call);
        return call.end().asMono();
    });

    /** One call to Chroma: where, which ids, and its end, given by the test. */
    private record Call(ChromaAddress address, List<String> ids, Sinks.Empty<Void> end) {

        void succeed() {
            end.tryEmitEmpty();
        }
    }

    @Test
    void theAddsOfALoneWriterGoAtOnce() {
        try (ChromaWrites.Writer writer = writer(COLLECTION)) {
            StepVerifier.create(writer.add(records("a", 2)))
                    .then(() -> assertThat(calls).singleElement().satisfies(call -> assertThat(call.ids()).containsExactly("a0", "a1")))
                    .then(() -> calls.get(0).succeed())
                    .verifyComplete();
        }
    }

    @Test
    void addsOfWritersOpenAtTheSameTimeGoInOneCall() {
        ChromaWrites.Writer first = writer(COLLECTION);
        ChromaWrites.Writer second = writer(COLLECTION);
        Mono<Void> both = Mono.when(first.add(records("a", 2)), second.add(records("b", 3)));
        StepVerifier.create(both)
                .then(() -> assertThat(calls).singleElement()
                        .satisfies(call -> assertThat(call.ids()).containsExactlyInAnyOrder("a0", "a1", "b0", "b1", "b2")))
                .then(() -> calls.get(0).succeed())
                .verifyComplete();
    }

    @Test
    void anAddWaitsForAnotherOpenWriterAtMostTheLinger() {
        ChromaWrites.Writer waiting = writer(COLLECTION);
        writer(COLLECTION);
        StepVerifier.create(waiting.add(records("a", 1)))
                .then(() -> clock.advanceTimeBy(LINGER.minusMillis(1)))
                .then(() -> assertThat(calls).isEmpty())
                .then(() -> clock.advanceTimeBy(Duration.ofMillis(1)))
                .then(() -> assertThat(calls).singleElement().satisfies(call -> assertThat(call.ids()).containsExactly("a0")))
                .then(() -> calls.get(0).succeed())
                .verifyComplete();
    }

    @Test
    void aWriterThatClosesLetsTheOthersGo() {
        ChromaWrites.Writer waiting = writer(COLLECTION);
        ChromaWrites.Writer other = writer(COLLECTION);
        StepVerifier.create(waiting.add(records("a", 1)))
                .then(() -> assertThat(calls).isEmpty())
                .then(other::close)
                .then(() -> assertThat(calls).hasSize(1))
                .then(() -> calls.get(0).succeed())
                .verifyComplete();
    }

    @Test
    void enoughRecordsGoWithoutWaiting() {
        ChromaWrites.Writer full = writer(COLLECTION);
        writer(COLLECTION);
        StepVerifier.create(full.add(records("a", 10)))
                .then(() -> assertThat(calls).hasSize(1))
                .then(() -> calls.get(0).succeed())
                .verifyComplete();
    }

    @Test
    void oneCallAtATimePerCollectionAndTheWaitingAddsTogetherAfterIt() {
        ChromaWrites.Writer first = writer(COLLECTION);
        ChromaWrites.Writer second = writer(COLLECTION);
        ChromaWrites.Writer third = writer(COLLECTION);
        ChromaWrites.Writer elsewhere = writer(OTHER);
        StepVerifier.create(Mono.when(first.add(records("a", 10)), second.add(records("b", 1)), third.add(records("c", 1)),
                        elsewhere.add(records("d", 1))))
                .then(() -> assertThat(calls).extracting(Call::address).containsExactly(COLLECTION, OTHER))
                .then(first::close)
                .then(() -> calls.get(0).succeed())
                .then(() -> assertThat(calls).hasSize(3))
                .then(() -> assertThat(calls.get(2).ids()).containsExactly("b0", "c0"))
                .then(() -> calls.forEach(Call::succeed))
                .verifyComplete();
    }

    @Test
    void aCallCarriesAtMostTheMaximumOfRecords() {
        ChromaWrites.Writer first = writer(COLLECTION);
        ChromaWrites.Writer second = writer(COLLECTION);
        ChromaWrites.Writer third = writer(COLLECTION);
        StepVerifier.create(Mono.when(first.add(records("a", 10)), second.add(records("b", 6)), third.add(records("c", 6))))
                .then(() -> calls.get(0).succeed())
                .then(() -> assertThat(calls.get(1).ids()).hasSize(6))
                .then(() -> calls.get(1).succeed())
                .then(() -> assertThat(calls).hasSize(2))
                .then(() -> clock.advanceTimeBy(LINGER))
                .then(() -> assertThat(calls.get(2).ids()).hasSize(6))
                .then(() -> calls.get(2).succeed())
                .verifyComplete();
    }

    @Test
    void aFailedCallFailsEveryAddInIt() {
        ChromaWrites.Writer first = writer(COLLECTION);
        ChromaWrites.Writer second = writer(COLLECTION);
        IllegalStateException failure = new IllegalStateException("Chroma says no");
        StepVerifier.create(Mono.when(first.add(records("a", 1)), second.add(records("b", 1))))
                .then(() -> calls.get(0).end().tryEmitError(failure))
                .verifyErrorSatisfies(error -> assertThat(error).isSameAs(failure));
        StepVerifier.create(first.add(records("a", 1)))
                .then(() -> assertThat(calls).hasSize(1))
                .then(() -> clock.advanceTimeBy(LINGER))
                .then(() -> calls.get(1).succeed())
                .verifyComplete();
    }

    @Test
    void aCallThatThrowsAtOnceFailsItsAddsAndTheNextCallStillGoes() {
        IllegalArgumentException refused = new IllegalArgumentException("no store");
        List<String> sent = new CopyOnWriteArrayList<>();
        ChromaWrites throwingOnce = new ChromaWrites(LINGER, 10, clock, (address, records) -> {
            if (sent.isEmpty()) {
                sent.add("refused");
                throw refused;
            }
            sent.addAll(records.ids());
            return Mono.empty();
        });
        try (ChromaWrites.Writer writer = throwingOnce.open(COLLECTION)) {
            StepVerifier.create(writer.add(records("a", 1))).verifyErrorSatisfies(error -> assertThat(error).isSameAs(refused));
            StepVerifier.create(writer.add(records("b", 1))).verifyComplete();
        }
        assertThat(sent).containsExactly("refused", "b0");
    }

    @Test
    void anAddWithdrawnBeforeItWasSentIsNeverSent() {
        ChromaWrites.Writer withdrawn = writer(COLLECTION);
        ChromaWrites.Writer other = writer(COLLECTION);
        Disposable add = withdrawn.add(records("a", 1)).subscribe();
        add.dispose();
        withdrawn.close();
        StepVerifier.create(other.add(records("b", 1)))
                .then(() -> assertThat(calls).singleElement().satisfies(call -> assertThat(call.ids()).containsExactly("b0")))
                .then(() -> calls.get(0).succeed())
                .verifyComplete();
        clock.advanceTimeBy(LINGER.multipliedBy(2));
        assertThat(calls).hasSize(1);
    }

    @Test
    void aRemovalWaitsForTheAddUnderWay() {
        ChromaWrites.Writer writer = writer(COLLECTION);
        Sinks.Empty<Void> removed = Sinks.empty();
        List<String> order = new CopyOnWriteArrayList<>();
        Mono<Void> removal = Mono.fromRunnable(() -> order.add("removal")).then(removed.asMono());
        StepVerifier.create(Mono.when(writer.add(records("a", 1)).doOnSuccess(done -> order.add("add")),
                        writes.remove(COLLECTION, removal)))
                .then(() -> assertThat(order).isEmpty())
                .then(() -> calls.get(0).succeed())
                .then(() -> assertThat(order).containsExactly("add", "removal"))
                .then(() -> writer.add(records("b", 1)).subscribe())
                .then(() -> assertThat(calls).hasSize(1))
                .then(removed::tryEmitEmpty)
                .then(() -> assertThat(calls).hasSize(2))
                .then(() -> calls.get(1).succeed())
                .verifyComplete();
    }

    @Test
    void aWriterWhoseFileIsNotAllHereDelaysNobody() {
        ChromaWrites.Writer receiving = writes.open(COLLECTION);
        try (ChromaWrites.Writer waiting = writer(COLLECTION)) {
            StepVerifier.create(waiting.add(records("a", 1)))
                    .then(() -> assertThat(calls).hasSize(1))
                    .then(() -> calls.get(0).succeed())
                    .verifyComplete();
        }
        receiving.awaited();
        ChromaWrites.Writer later = writer(COLLECTION);
        StepVerifier.create(later.add(records("b", 1)))
                .then(() -> assertThat(calls).as("waits for the writer now awaited").hasSize(1))
                .then(receiving::close)
                .then(() -> assertThat(calls).hasSize(2))
                .then(() -> calls.get(1).succeed())
                .verifyComplete();
    }

    /** A writer whose file is all here: the others wait for it. */
    private ChromaWrites.Writer writer(ChromaAddress address) {
        ChromaWrites.Writer writer = writes.open(address);
        writer.awaited();
        return writer;
    }

    private static ChromaWrites.Records records(String prefix, int n) {
        List<String> ids = IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
        List<Embedding> vectors = ids.stream().map(id -> Embedding.from(new float[] {1, 0})).toList();
        List<TextSegment> segments = ids.stream().map(id -> TextSegment.from("-")).toList();
        return new ChromaWrites.Records(ids, vectors, segments);
    }
}
