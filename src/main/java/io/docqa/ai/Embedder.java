package io.docqa.ai;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.function.Tuples;

/**
 * Turns text into vectors with the in-process all-MiniLM-L6-v2 model ({@code docqa.embedding.model}: fp32, or int8;
 * 384 dimensions, unit length), every token of a
 * text counted ({@code docqa.embedding.max-sequence-length} tokens at once, longer texts in windows). All inference
 * runs on the bounded scheduler {@code embed} ({@code docqa.embedding.threads}, one per core by default), one text per
 * task: a batch spreads over every core and a question waits behind at most a few texts, never behind whole batches.
 * Past {@code docqa.embedding.max-queued-texts} waiting texts the call fails with {@link EmbedderBusyException}
 * instead of queueing without end. A model that cannot be loaded fails every call at once with
 * {@link EmbedderUnavailableException}; the load is tried again on the first call 30 s later.
 */
@Component
public class Embedder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Embedder.class);
    private static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);
    /** How long a failed load is the answer before the next call tries again (a load copies 90 MB). */
    private static final Duration RELOAD_AFTER = Duration.ofSeconds(30);

    private final int threads;
    private final EmbeddingModel choice;
    private final Scheduler scheduler;
    private final Mono<MiniLmModel> model;

    /** With the default settings: a thread per core, 2048 texts waiting at most, windows of 256 tokens. */
    public Embedder() {
        this(EmbeddingProperties.defaults());
    }

    @Autowired
    Embedder(EmbeddingProperties properties) {
        this(properties.effectiveThreads(), Math.max(1, properties.maxQueuedTexts() / properties.effectiveThreads()),
                properties.maxSequenceLength(), properties.model());
    }

    Embedder(int threads, int queuedTextsPerThread, int maxSequenceLength) {
        this(threads, queuedTextsPerThread, maxSequenceLength, EmbeddingModel.ALL_MINILM_L6_V2);
    }

    Embedder(int threads, int queuedTextsPerThread, int maxSequenceLength, EmbeddingModel model) {
        this(threads, queuedTextsPerThread, model, () -> MiniLmModel.load(model, maxSequenceLength), RELOAD_AFTER);
    }

    Embedder(int threads, int queuedTextsPerThread, Callable<MiniLmModel> loader, Duration reloadAfter) {
        this(threads, queuedTextsPerThread, EmbeddingModel.ALL_MINILM_L6_V2, loader, reloadAfter);
    }

    private Embedder(int threads, int queuedTextsPerThread, EmbeddingModel choice, Callable<MiniLmModel> loader,
            Duration reloadAfter) {
        this.threads = threads;
        this.choice = choice;
        this.scheduler = Schedulers.newBoundedElastic(threads, queuedTextsPerThread, "embed");
        this.model = onScheduler(() -> load(loader))
                .cache(loaded -> FOREVER, failure -> reloadAfter, () -> Duration.ZERO);
    }

    /**
     * A native library that fails to unpack surfaces as a {@link LinkageError}, which Reactor treats as fatal and never
     * delivers: the caller would wait forever. Every failure of the load becomes an ordinary error instead.
     */
    private static MiniLmModel load(Callable<MiniLmModel> loader) {
        try {
            return loader.call();
        }
        catch (Throwable failure) {
            throw new EmbedderUnavailableException(failure);
        }
    }

    public String modelName() {
        return choice.id();
    }

    public int dimension() {
        return MiniLmModel.DIMENSION;
    }

    /** The vector of one text (a question). Blank text is an {@link IllegalArgumentException}. */
    public Mono<float[]> embed(String text) {
        return model.flatMap(loaded -> onScheduler(() -> loaded.vector(text)));
    }

    /** The vectors of a batch (chunks of a document), in the order of the texts. */
    public Mono<List<float[]>> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return Mono.just(List.of());
        }
        // unordered, so that a long text never leaves a core idle until it is done; put back in order at the end
        return model.flatMapMany(loaded -> Flux.range(0, texts.size())
                        .flatMap(i -> onScheduler(() -> Tuples.of(i, loaded.vector(texts.get(i)))), threads, 1))
                .collectList()
                .map(vectors -> {
                    float[][] ordered = new float[texts.size()][];
                    vectors.forEach(vector -> ordered[vector.getT1()] = vector.getT2());
                    return List.of(ordered);
                });
    }

    /** Whether the model is loaded, loading it if need be; false while a failed load stands. Never fails. */
    public Mono<Boolean> isAvailable() {
        return model.map(loaded -> true).onErrorReturn(false);
    }

    /** Loads the model (about 1.5 s) and runs it once, so the first real call does not pay for it. */
    public Mono<Void> warmUp() {
        return embed("warm up").then();
    }

    @EventListener(ApplicationReadyEvent.class)
    void warmUpInBackground() {
        long started = System.nanoTime();
        warmUp().subscribe(null,
                error -> log.warn("Embedding model {} could not be loaded: {}", modelName(), error.toString()),
                () -> log.info("Embedding model {} ready in {} ms", modelName(), (System.nanoTime() - started) / 1_000_000));
    }

    private <T> Mono<T> onScheduler(Callable<T> work) {
        return Mono.fromCallable(work)
                .subscribeOn(scheduler)
                .onErrorMap(RejectedExecutionException.class, EmbedderBusyException::new);
    }

    @Override
    public void close() {
        scheduler.dispose();
    }
}
