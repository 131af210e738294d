package io.docqa.document;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;
import io.docqa.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What ingestion looks like to an operator: files by outcome, their size, chunks and time, and the time embedding
 * takes. No tenant is a tag (see README "Metrics").
 */
@Component
class IngestionMetrics {

    private final MeterRegistry meters;
    private final DistributionSummary bytes;
    private final DistributionSummary chunks;
    private final Timer embedding;

    IngestionMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.bytes = DistributionSummary.builder("docqa.ingestion.bytes").baseUnit("bytes")
                .description("Size of each file indexed").register(meters);
        this.chunks = DistributionSummary.builder("docqa.ingestion.chunks").baseUnit("chunks")
                .description("Chunks of each file indexed").register(meters);
        this.embedding = Timer.builder("docqa.ingestion.embed")
                .description("Embedding one batch of chunks of a file").register(meters);
    }

    /** Times one batch into the metric, and adds its time to the file's {@code total} (for the usage ledger). */
    <T> Mono<T> embedding(Mono<T> batch, AtomicLong total) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return batch.doOnNext(vectors -> {
                long nanos = System.nanoTime() - started;
                embedding.record(nanos, TimeUnit.NANOSECONDS);
                total.addAndGet(nanos);
            });
        });
    }

    /**
     * Observes the ingestion of one file to its end: {@code ready}, {@code duplicate} (the bytes were a ready document
     * already), {@code failed} (a document is left that says why) or {@code rejected} (nothing is left), each with a
     * reason: the problem's code, {@code no_text} for a file without readable text, or {@code none}.
     */
    Flux<IngestionEvent> observe(Flux<IngestionEvent> events) {
        return Flux.defer(() -> {
            File file = new File(System.nanoTime());
            return events.doOnNext(file::saw)
                    .doOnError(file::failed)
                    .doOnCancel(() -> file.end("failed", "upload_interrupted"));
        });
    }

    /** The state of one file's ingestion. Its events arrive one at a time. */
    private final class File {

        private final long started;
        private final AtomicBoolean ended = new AtomicBoolean();
        private UUID indexing;

        File(long started) {
            this.started = started;
        }

        void saw(IngestionEvent event) {
            if (event instanceof IngestionEvent.Progress progress) {
                indexing = progress.documentId();
            }
            else if (event instanceof IngestionEvent.Finished finished) {
                Document document = finished.document();
                if (document.status() == Document.Status.FAILED) {
                    end("failed", "no_text");
                }
                else if (!document.id().equals(indexing)) {
                    end("duplicate", "none");
                }
                else {
                    bytes.record(document.sizeBytes());
                    chunks.record(document.chunkCount());
                    end("ready", "none");
                }
            }
        }

        void failed(Throwable error) {
            if (error instanceof ApiException problem) {
                boolean rejected = problem.status().is4xxClientError() && !"upload_interrupted".equals(problem.code());
                end(rejected ? "rejected" : "failed", problem.code());
            }
            else {
                end("failed", "internal");
            }
        }

        void end(String outcome, String reason) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            Counter.builder("docqa.ingestion.documents").description("Files ingested, by outcome and reason")
                    .tag("outcome", outcome).tag("reason", reason).register(meters).increment();
            Timer.builder("docqa.ingestion.duration").description("From the first byte of a file to its outcome")
                    .tag("outcome", outcome).register(meters).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }
}
