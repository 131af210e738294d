package io.docqa.ai;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

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
 * The other model is loaded on first use only: while a tenant's index is rebuilt for a new model, its questions are
 * embedded with the model of the index they search (see {@link IndexGeneration}).
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
    private final Function<EmbeddingModel, Callable<MiniLmModel>> loaders;
    private final Duration reloadAfter;
    private final Map<EmbeddingModel, Mono<MiniLmModel>> models = new ConcurrentHashMap<>();

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
        this(threads, queuedTextsPerThread, model, any -> () -> MiniLmModel.load(any, maxSequenceLength), RELOAD_AFTER);
    }

    Embedder(int threads, int queuedTextsPerThread, Callable<MiniLmModel> loader, Duration reloadAfter) {
        this(threads, queuedTextsPerThread, EmbeddingModel.ALL_MINILM_L6_V2, any -> loader, reloadAfter);
    }

    private Embedder(int threads, int queuedTextsPerThread, EmbeddingModel choice,
            Function<EmbeddingModel, Callable<MiniLmModel>> loaders, Duration reloadAfter) {
        this.threads = threads;
        this.choice = choice;
        this.scheduler = Schedulers.newBoundedElastic(threads, queuedTextsPerThread, "embed");
        this.loaders = loaders;
        this.reloadAfter = reloadAfter;
    }

    private Mono<MiniLmModel> model(EmbeddingModel which) {
        return models.computeIfAbsent(which, any -> onScheduler(() -> load(loaders.apply(any)))
                .cache(loaded -> FOREVER, failure -> reloadAfter, () -> Duration.ZERO));
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

    /** The configured model ({@code docqa.embedding.model}). */
    public EmbeddingModel model() {
        return choice;
    }

    public int dimension() {
        return MiniLmModel.DIMENSION;
    }

    /** The vector of one text (a question). Blank text is an {@link IllegalArgumentException}. */
    public Mono<float[]> embed(String text) {
        return embed(choice, text);
    }

    /** The vector of one text with {@code which} model (a question to an index of that model). */
    public Mono<float[]> embed(EmbeddingModel which, String text) {
        return model(which).flatMap(loaded -> onScheduler(() -> loaded.vector(text)));
    }

    /** The vectors of a batch (chunks of a document), in the order of the texts. */
    public Mono<List<float[]>> embedAll(List<String> texts) {
        return embedAll(choice, texts);
    }

    /** The vectors of a batch with {@code which} model, in the order of the texts, spread over every core. */
    public Mono<List<float[]>> embedAll(EmbeddingModel which, List<String> texts) {
        return embedAll(which, texts, threads);
    }

    /**
     * The vectors of a batch with {@code which} model, one text at a time: background work (re-indexing) that never
     * holds more than one core, nor puts more than one text ahead of a question in the queue.
     */
    public Mono<List<float[]>> embedInBackground(EmbeddingModel which, List<String> texts) {
        return embedAll(which, texts, 1);
    }

    private Mono<List<float[]>> embedAll(EmbeddingModel which, List<String> texts, int concurrency) {
        if (texts.isEmpty()) {
            return Mono.just(List.of());
        }
        // unordered, so that a long text never leaves a core idle until it is done; put back in order at the end
        return model(which).flatMapMany(loaded -> Flux.range(0, texts.size())
                        .flatMap(i -> onScheduler(() -> Tuples.of(i, loaded.vector(texts.get(i)))), concurrency, 1))
                .collectList()
                .map(vectors -> {
                    float[][] ordered = new float[texts.size()][];
                    vectors.forEach(vector -> ordered[vector.getT1()] = vector.getT2());
                    return List.of(ordered);
                });
    }

    /** Whether the model is loaded, loading it if need be; false while a failed load stands. Never fails. */
    public Mono<Boolean> isAvailable() {
        return model(choice).map(loaded -> true).onErrorReturn(false);
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
