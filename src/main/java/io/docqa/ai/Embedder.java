package io.docqa.ai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.function.Tuples;

/**
 * Turns text into vectors with the in-process all-MiniLM-L6-v2 model ({@code docqa.embedding.model}: fp32, or int8;
 * 384 dimensions, unit length), every token of a text counted ({@code docqa.embedding.max-sequence-length} tokens at
 * once, longer texts in windows). All inference runs on the bounded scheduler {@code embed}
 * ({@code docqa.embedding.threads}, one per core by default), one run on one thread at a time: a batch goes in tasks of
 * {@code docqa.embedding.batch-size} texts of like length (fp32; the int8 model one text per task), which spread over
 * every core, and a question waits behind at most one such task per core. A question that finds the embedder idle runs
 * on {@code docqa.embedding.question-threads} threads; fp32 questions that queue up in a burst run together. Past
 * {@code docqa.embedding.max-queued-texts} waiting tasks the call fails with {@link EmbedderBusyException} instead of
 * queueing without end. A model that cannot be loaded fails every call at once with
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
    private final boolean batchQuestions;
    private final Scheduler scheduler;
    private final Function<EmbeddingModel, Callable<MiniLmModel>> loaders;
    private final Duration reloadAfter;
    private final Map<EmbeddingModel, Mono<MiniLmModel>> models = new ConcurrentHashMap<>();
    /** Tasks running on {@link #scheduler} now. */
    private final AtomicInteger running = new AtomicInteger();
    /** Questions waiting for a thread, per model. */
    private final Map<MiniLmModel, Queue<WaitingQuestion>> questions = new ConcurrentHashMap<>();

    private record WaitingQuestion(String text, MonoSink<float[]> sink) {
    }

    /** With the default settings: a thread per core, 2048 texts waiting at most, windows of 256 tokens. */
    public Embedder() {
        this(EmbeddingProperties.defaults());
    }

    /** As {@link #Embedder()}, with another model (benchmarks compare the two). */
    public Embedder(EmbeddingModel model) {
        this(EmbeddingProperties.defaults().withModel(model));
    }

    @Autowired
    Embedder(EmbeddingProperties properties) {
        this(properties, any -> () -> MiniLmModel.load(any, properties.maxSequenceLength(),
                properties.batchSize(), properties.batchTokens(), properties.questionThreads()), RELOAD_AFTER);
    }

    Embedder(int threads, int queuedTextsPerThread, int maxSequenceLength) {
        this(threads, queuedTextsPerThread, maxSequenceLength, EmbeddingModel.ALL_MINILM_L6_V2);
    }

    Embedder(int threads, int queuedTextsPerThread, int maxSequenceLength, EmbeddingModel model) {
        this(new EmbeddingProperties(threads, threads * queuedTextsPerThread, maxSequenceLength, model));
    }

    Embedder(int threads, int queuedTextsPerThread, Callable<MiniLmModel> loader, Duration reloadAfter) {
        this(new EmbeddingProperties(threads, threads * queuedTextsPerThread, 256), any -> loader, reloadAfter);
    }

    private Embedder(EmbeddingProperties properties, Function<EmbeddingModel, Callable<MiniLmModel>> loaders,
            Duration reloadAfter) {
        this.threads = properties.effectiveThreads();
        this.choice = properties.model();
        this.batchQuestions = properties.batchQuestions();
        this.scheduler = Schedulers.newBoundedElastic(threads, Math.max(1, properties.maxQueuedTexts() / threads), "embed");
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
        return model(which).flatMap(loaded -> batchQuestions && loaded.windowsPerRun() > 1
                ? inTurn(loaded, text)
                : onScheduler(() -> alone(loaded, text)));
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
     * The vectors of a batch with {@code which} model, one task at a time: background work (re-indexing) that never
     * holds more than one core, nor puts more than one task ahead of a question in the queue.
     */
    public Mono<List<float[]>> embedInBackground(EmbeddingModel which, List<String> texts) {
        return embedAll(which, texts, 1);
    }

    private Mono<List<float[]>> embedAll(EmbeddingModel which, List<String> texts, int concurrency) {
        if (texts.isEmpty()) {
            return Mono.just(List.of());
        }
        return model(which).flatMapMany(loaded -> Flux.fromIterable(likeLengths(texts, loaded.windowsPerRun()))
                        // unordered, so that a long task never leaves a core idle until it is done; in order at the end
                        .flatMap(task -> onScheduler(() -> Tuples.of(task,
                                loaded.vectors(task.stream().map(texts::get).toList()))), concurrency, 1))
                .collectList()
                .map(tasks -> {
                    float[][] ordered = new float[texts.size()][];
                    tasks.forEach(task -> {
                        for (int i = 0; i < task.getT1().size(); i++) {
                            ordered[task.getT1().get(i)] = task.getT2().get(i);
                        }
                    });
                    return List.of(ordered);
                });
    }

    /** The indexes of the texts, longest first, in tasks of {@code size}: texts of a task pad each other little. */
    private static List<List<Integer>> likeLengths(List<String> texts, int size) {
        List<Integer> longestFirst = IntStream.range(0, texts.size()).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> texts.get(i).length()).reversed())
                .toList();
        List<List<Integer>> tasks = new ArrayList<>();
        for (int from = 0; from < longestFirst.size(); from += size) {
            tasks.add(longestFirst.subList(from, Math.min(from + size, longestFirst.size())));
        }
        return tasks;
    }

    /** On the idle cores when this is the only task running, else on this thread only. */
    private float[] alone(MiniLmModel loaded, String text) {
        return running.get() == 1 ? loaded.vectorOnIdleCores(text) : loaded.vector(text);
    }

    /**
     * The question waits in {@link #questions}; the task scheduled for it takes every question waiting by then (up to a
     * run's worth), so questions that queued up behind other work run together, and one that finds the embedder free
     * runs alone at once. A task that finds its question taken by an earlier one has nothing to do.
     */
    private Mono<float[]> inTurn(MiniLmModel loaded, String text) {
        return Mono.create(sink -> {
            WaitingQuestion question = new WaitingQuestion(text, sink);
            Queue<WaitingQuestion> questions = this.questions.computeIfAbsent(loaded, any -> new ConcurrentLinkedQueue<>());
            questions.add(question);
            sink.onCancel(() -> questions.remove(question));
            try {
                scheduler.schedule(() -> answerWaiting(loaded, questions));
            }
            catch (RejectedExecutionException busy) {
                questions.remove(question);
                sink.error(new EmbedderBusyException(busy));
            }
        });
    }

    private void answerWaiting(MiniLmModel loaded, Queue<WaitingQuestion> questions) {
        running.incrementAndGet();
        try {
            answer(loaded, questions);
        }
        finally {
            running.decrementAndGet();
        }
    }

    private void answer(MiniLmModel loaded, Queue<WaitingQuestion> questions) {
        List<WaitingQuestion> taken = new ArrayList<>();
        for (WaitingQuestion next; taken.size() < loaded.windowsPerRun() && (next = questions.poll()) != null; ) {
            taken.add(next);
        }
        if (taken.size() > 1) {
            try {
                List<float[]> vectors = loaded.vectors(taken.stream().map(WaitingQuestion::text).toList());
                for (int i = 0; i < taken.size(); i++) {
                    taken.get(i).sink().success(vectors.get(i));
                }
                return;
            }
            catch (RuntimeException oneOfThemFailed) {
                // a blank question among them: each is answered on its own below
            }
        }
        for (WaitingQuestion question : taken) {
            try {
                question.sink().success(alone(loaded, question.text()));
            }
            catch (RuntimeException failure) {
                question.sink().error(failure);
            }
        }
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
        return Mono.fromCallable(() -> counted(work))
                .subscribeOn(scheduler)
                .onErrorMap(RejectedExecutionException.class, EmbedderBusyException::new);
    }

    private <T> T counted(Callable<T> work) throws Exception {
        running.incrementAndGet();
        try {
            return work.call();
        }
        finally {
            running.decrementAndGet();
        }
    }

    @Override
    public void close() {
        scheduler.dispose();
    }
}
