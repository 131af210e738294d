package io.docqa.ai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * The writes to Chroma, one call at a time per collection, with the adds of files indexed at the same time merged into
 * one call: Chroma spends about 20 ms of CPU on an add call whatever its size, which for pages of a few chunks each was
 * most of its share of an upload. An add waits for others to join it while another writer of the collection is
 * awaited ({@link Writer#awaited()}: its file is all here and still being parsed or embedded) and has nothing waiting,
 * at most {@code linger} and until {@code maxRecords} records wait; the adds of a lone writer go at once. A removal runs
 * after the call under way to its collection has ended; an add withdrawn (cancelled) before it was sent is never sent.
 * A call that timed out may still be applied by Chroma after that: who removes records after a failed add marks them
 * for removal again later.
 */
final class ChromaWrites {

    private static final Logger log = LoggerFactory.getLogger(ChromaWrites.class);

    private final Duration linger;
    private final int maxRecords;
    private final Scheduler timers;
    private final BiFunction<ChromaAddress, Records, Mono<Void>> adder;
    private final Map<ChromaAddress, Lane> lanes = new HashMap<>();

    ChromaWrites(Duration linger, int maxRecords, Scheduler timers, BiFunction<ChromaAddress, Records, Mono<Void>> adder) {
        this.linger = linger;
        this.maxRecords = maxRecords;
        this.timers = timers;
        this.adder = adder;
    }

    /** Records for one add: ids, vectors and segments at the same positions. */
    record Records(List<String> ids, List<Embedding> vectors, List<TextSegment> segments) {

        int size() {
            return ids.size();
        }

        static Records merged(List<Records> parts) {
            if (parts.size() == 1) {
                return parts.get(0);
            }
            List<String> ids = new ArrayList<>();
            List<Embedding> vectors = new ArrayList<>();
            List<TextSegment> segments = new ArrayList<>();
            for (Records part : parts) {
                ids.addAll(part.ids());
                vectors.addAll(part.vectors());
                segments.addAll(part.segments());
            }
            return new Records(ids, vectors, segments);
        }
    }

    /**
     * A writer of one collection, open until closed; its adds are sent in the order they were made. Other adds wait for
     * its own only once it is {@link Writer#awaited()}.
     */
    Writer open(ChromaAddress address) {
        return new Writer(address);
    }

    /** {@code removal} once the calls already sent to the collection have ended. */
    Mono<Void> remove(ChromaAddress address, Mono<Void> removal) {
        return Mono.create(sink -> queue(address, new Pending(null, null, removal, sink, 0)));
    }

    final class Writer implements AutoCloseable {

        private final ChromaAddress address;
        private boolean awaited;
        private boolean closed;

        private Writer(ChromaAddress address) {
            this.address = address;
        }

        Mono<Void> add(Records records) {
            if (records.size() == 0) {
                return Mono.empty();
            }
            return Mono.create(sink -> queue(address, new Pending(this, records, null, sink, timers.now(TimeUnit.NANOSECONDS))));
        }

        /** From now until it is closed, the collection's other adds wait a moment for this writer's (see the class). */
        void awaited() {
            synchronized (lanes) {
                if (awaited || closed) {
                    return;
                }
                awaited = true;
                lanes.computeIfAbsent(address, any -> new Lane()).writers++;
            }
        }

        @Override
        public void close() {
            synchronized (lanes) {
                if (closed) {
                    return;
                }
                closed = true;
                if (!awaited) {
                    return;
                }
                lanes.get(address).writers--;
            }
            drain(address);
        }
    }

    /** An add (its writer and records) or a removal (its call), and who waits for it. */
    private record Pending(Writer writer, Records records, Mono<Void> removal, MonoSink<Void> sink, long since) {
    }

    private static final class Lane {

        private int writers;
        private final List<Pending> adds = new ArrayList<>();
        private final Deque<Pending> removals = new ArrayDeque<>();
        private boolean busy;
        private Disposable timer;

        boolean idle() {
            return writers == 0 && adds.isEmpty() && removals.isEmpty() && !busy && timer == null;
        }

        int waitingRecords() {
            return adds.stream().mapToInt(pending -> pending.records().size()).sum();
        }

        long waitingWriters() {
            return adds.stream().map(Pending::writer).distinct().count();
        }
    }

    /** An add or a removal waits in its collection's lane until {@link #drain} sends it, or it is withdrawn. */
    private void queue(ChromaAddress address, Pending pending) {
        synchronized (lanes) {
            Lane lane = lanes.computeIfAbsent(address, any -> new Lane());
            if (pending.removal() != null) {
                lane.removals.add(pending);
            } else {
                lane.adds.add(pending);
            }
        }
        pending.sink().onCancel(() -> withdraw(address, pending));
        drain(address);
    }

    private void withdraw(ChromaAddress address, Pending pending) {
        synchronized (lanes) {
            Lane lane = lanes.get(address);
            if (lane == null || !(lane.adds.remove(pending) || lane.removals.remove(pending))) {
                return;
            }
        }
        drain(address);
    }

    /** Starts the next call of the collection if it is due, else arms the linger timer; forgets an idle collection. */
    private void drain(ChromaAddress address) {
        Pending removal = null;
        List<Pending> batch = null;
        synchronized (lanes) {
            Lane lane = lanes.get(address);
            if (lane == null || lane.busy) {
                return;
            }
            if (!lane.removals.isEmpty()) {
                removal = lane.removals.poll();
                lane.busy = true;
            } else if (!lane.adds.isEmpty()) {
                long waited = timers.now(TimeUnit.NANOSECONDS) - lane.adds.get(0).since();
                boolean due = lane.waitingRecords() >= maxRecords || lane.waitingWriters() >= lane.writers || waited >= linger.toNanos();
                if (!due && lane.timer == null) {
                    lane.timer = lingering(address, linger.toNanos() - waited);
                    due = lane.timer == null;
                }
                if (due) {
                    batch = takeBatch(lane);
                    lane.busy = true;
                }
            }
            if (lane.idle()) {
                lanes.remove(address);
            }
        }
        if (removal != null) {
            List<Pending> one = List.of(removal);
            Mono.defer(removal::removal)
                    .contextWrite(removal.sink().contextView())
                    .subscribe(null, error -> ended(address, one, error), () -> ended(address, one, null));
        } else if (batch != null) {
            List<Pending> sent = batch;
            Mono.defer(() -> adder.apply(address, Records.merged(sent.stream().map(Pending::records).toList())))
                    .contextWrite(sent.get(0).sink().contextView())
                    .subscribe(null, error -> ended(address, sent, error), () -> ended(address, sent, null));
        }
    }

    /** The linger timer; null when the timers' scheduler refuses it (it is shutting down), and the adds go now. */
    private Disposable lingering(ChromaAddress address, long nanos) {
        try {
            return timers.schedule(() -> lingered(address), nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException refused) {
            return null;
        }
    }

    private List<Pending> takeBatch(Lane lane) {
        List<Pending> batch = new ArrayList<>();
        int records = 0;
        while (!lane.adds.isEmpty() && (batch.isEmpty() || records + lane.adds.get(0).records().size() <= maxRecords)) {
            Pending next = lane.adds.remove(0);
            records += next.records().size();
            batch.add(next);
        }
        if (lane.timer != null) {
            lane.timer.dispose();
            lane.timer = null;
        }
        return batch;
    }

    private static void tell(Pending pending, Throwable error) {
        try {
            if (error == null) {
                pending.sink().success();
            } else {
                pending.sink().error(error);
            }
        } catch (RuntimeException thrownDownstream) {
            log.warn("A writer of Chroma failed on being told its add had ended; the others are still told", thrownDownstream);
        }
    }

    private void lingered(ChromaAddress address) {
        synchronized (lanes) {
            Lane lane = lanes.get(address);
            if (lane != null) {
                lane.timer = null;
            }
        }
        drain(address);
    }

    private void ended(ChromaAddress address, List<Pending> sent, Throwable error) {
        synchronized (lanes) {
            lanes.get(address).busy = false;
        }
        try {
            for (Pending pending : sent) {
                tell(pending, error);
            }
        } finally {
            drain(address);
        }
    }
}
