package io.docqa.ai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * The writes to Chroma, one call at a time per collection, with the adds of files indexed at the same time merged into
 * one call: Chroma spends about 20 ms of CPU on an add call whatever its size, which for pages of a few chunks each was
 * most of its share of an upload. An add waits for others to join it while another writer of the collection is open
 * and has nothing waiting (it is still reading or embedding its file), at most {@code linger} and until
 * {@code maxRecords} records wait; the adds of a lone writer go at once. A removal runs after the calls already sent
 * to its collection, so no record of an earlier add survives it; an add withdrawn (cancelled) before it was sent is
 * never sent.
 */
final class ChromaWrites {

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

    /** A writer of one collection, open until closed; its adds are sent in the order they were made. */
    Writer open(ChromaAddress address) {
        synchronized (lanes) {
            lanes.computeIfAbsent(address, any -> new Lane()).writers++;
        }
        return new Writer(address);
    }

    /** {@code removal} once the calls already sent to the collection have ended. */
    Mono<Void> remove(ChromaAddress address, Mono<Void> removal) {
        return Mono.create(sink -> {
            Pending pending = new Pending(null, null, removal, sink, 0);
            synchronized (lanes) {
                lanes.computeIfAbsent(address, any -> new Lane()).removals.add(pending);
            }
            sink.onCancel(() -> withdraw(address, pending));
            drain(address);
        });
    }

    final class Writer implements AutoCloseable {

        private final ChromaAddress address;
        private boolean closed;

        private Writer(ChromaAddress address) {
            this.address = address;
        }

        Mono<Void> add(Records records) {
            if (records.size() == 0) {
                return Mono.empty();
            }
            return Mono.create(sink -> {
                Pending pending = new Pending(this, records, null, sink, timers.now(TimeUnit.NANOSECONDS));
                synchronized (lanes) {
                    lanes.computeIfAbsent(address, any -> new Lane()).adds.add(pending);
                }
                sink.onCancel(() -> withdraw(address, pending));
                drain(address);
            });
        }

        @Override
        public void close() {
            synchronized (lanes) {
                if (closed) {
                    return;
                }
                closed = true;
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
            Map<Writer, Boolean> waiting = new IdentityHashMap<>();
            adds.forEach(pending -> waiting.put(pending.writer(), true));
            return waiting.size();
        }
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
                if (lane.waitingRecords() >= maxRecords || lane.waitingWriters() >= lane.writers || waited >= linger.toNanos()) {
                    batch = takeBatch(lane);
                    lane.busy = true;
                } else if (lane.timer == null) {
                    lane.timer = timers.schedule(() -> lingered(address), linger.toNanos() - waited, TimeUnit.NANOSECONDS);
                }
            }
            if (lane.idle()) {
                lanes.remove(address);
            }
        }
        if (removal != null) {
            List<Pending> one = List.of(removal);
            Mono.defer(removal::removal).subscribe(null, error -> ended(address, one, error), () -> ended(address, one, null));
        } else if (batch != null) {
            List<Pending> sent = batch;
            Mono.defer(() -> adder.apply(address, Records.merged(sent.stream().map(Pending::records).toList())))
                    .subscribe(null, error -> ended(address, sent, error), () -> ended(address, sent, null));
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
        for (Pending pending : sent) {
            if (error == null) {
                pending.sink().success();
            } else {
                pending.sink().error(error);
            }
        }
        drain(address);
    }
}
