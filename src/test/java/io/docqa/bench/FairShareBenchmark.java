package io.docqa.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.docqa.support.FakeOllama;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Whether one tenant flooding the model can refuse or starve another. Run with {@code bash .ci/bench.sh
 * FairShareBenchmark}. The fake model takes {@code --tokens} tokens {@code --token-ms} apart after
 * {@value #FIRST_TOKEN_MS} ms, so one generation holds its slot for a known time T. Tenant A keeps {@code --streams}
 * (200) clients asking at once, spread over {@code --keys} (4) API keys: each asks again as soon as its answer ends,
 * or after the refusal's {@code Retry-After} (5 s). Once every generation slot is busy with A, other tenants ask
 * {@code --questions} (20) questions, one after another, each from a tenant of its own. The figures are each one's time
 * to its first token, and the part of it spent waiting for the model: from its {@code sources} event (retrieval done,
 * the answer joins the line for a generation slot) to its first token, less the model's own {@value #FIRST_TOKEN_MS}
 * ms; against T, and against how long A's generations really held their slots meanwhile (first token to {@code done},
 * plus the model's {@value #FIRST_TOKEN_MS} ms), which on a loaded machine is longer than T. The service runs twice,
 * with the product's shares of the model and with shares too large to matter (as before there were any), each with the
 * default generation slots (4) and queue (100).
 */
public final class FairShareBenchmark {

    static final int FIRST_TOKEN_MS = 50;

    public static void main(String[] args) {
        Options options = Options.parse(args);
        Path document = Corpus.write(Path.of("target", "bench", "corpus", "fair-share.txt"), 6_000, 7);
        long slotMillis = FIRST_TOKEN_MS + (long) options.tokens() * options.tokenMillis();
        List<String> report = new ArrayList<>();
        try (FakeOllama ollama = FakeOllama.start()) {
            String[] tokens = IntStream.range(0, options.tokens()).mapToObj(i -> " word" + i).toArray(String[]::new);
            ollama.firstTokenDelay(Duration.ofMillis(FIRST_TOKEN_MS)).tokenDelay(Duration.ofMillis(options.tokenMillis())).answer(tokens);
            report.add(run("with shares (defaults: 20 per tenant, 8 per user or key)", Map.of(), ollama, document, options, slotMillis));
            if (options.withoutShares()) {
                report.add(run("without shares (as before)", Map.of("DOCQA_CHAT_SHARES_MAX_PER_TENANT", "100000",
                        "DOCQA_CHAT_SHARES_MAX_PER_CALLER", "100000"), ollama, document, options, slotMillis));
            }
        }
        System.out.println();
        System.out.printf("== fair-share benchmark (%d cores): one generation holds its slot T = %d ms (first token %d ms + %d tokens x %d ms)%n",
                Runtime.getRuntime().availableProcessors(), slotMillis, FIRST_TOKEN_MS, options.tokens(), options.tokenMillis());
        report.forEach(System.out::println);
        System.exit(0);
    }

    private static String run(String label, Map<String, String> settings, FakeOllama ollama, Path document, Options options,
            long slotMillis) {
        try (ServiceProcess service = ServiceProcess.start(settings.isEmpty() ? "fair-share" : "fair-share-without", ollama.baseUrl(),
                        List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"), settings);
                SseQuestions questions = new SseQuestions(service.baseUrl(), options.streams() + 50)) {
            BenchApi api = new BenchApi(service.baseUrl());
            String owner = api.signup("flooding tenant");
            api.upload(owner, document);
            List<String> keys = IntStream.range(0, options.keys()).mapToObj(i -> api.apiKey(owner, "flood " + i, "member")).toList();
            List<String> others = new ArrayList<>();
            for (int i = 0; i < options.questions(); i++) {
                String token = api.signup("patient tenant " + i);
                api.upload(token, document);
                others.add(token);
            }

            Tally flood = new Tally();
            AtomicBoolean stop = new AtomicBoolean();
            Random random = new Random(3);
            Disposable flooding = Flux.range(0, options.streams())
                    .flatMap(i -> Mono.defer(() -> questions.ask(keys.get(i % keys.size()), Corpus.question(new Random(i))))
                            .flatMap(outcome -> flood.add(outcome) ? Mono.empty() : Mono.delay(Duration.ofSeconds(5)).then())
                            .repeat(() -> !stop.get())
                            .then(), options.streams())
                    .subscribe();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (ollama.activeAnswers() < 4 && System.nanoTime() < deadline) {
                ServiceProcess.sleep(50);
            }
            ServiceProcess.sleep(2 * slotMillis); // the flood's line fills up behind the busy slots

            List<Long> firstTokens = new ArrayList<>();
            List<Long> waits = new ArrayList<>();
            List<String> refusals = new ArrayList<>();
            flood.measuring = true;
            for (String token : others) {
                SseQuestions.Outcome outcome = questions.ask(token, Corpus.question(random)).block(Duration.ofMinutes(5));
                if (outcome.ok()) {
                    firstTokens.add(outcome.firstTokenNanos());
                    waits.add(Math.max(0, outcome.firstTokenNanos() - outcome.sourcesNanos() - FIRST_TOKEN_MS * 1_000_000L));
                }
                else {
                    refusals.add(outcome.error());
                }
            }
            flood.measuring = false;
            stop.set(true);
            flooding.dispose();
            Percentiles ttft = Percentiles.ofNanos(firstTokens);
            Percentiles waited = Percentiles.ofNanos(waits);
            StringBuilder text = new StringBuilder(label).append(":\n");
            text.append(String.format("  tenant A, %d clients on %d keys: %d answers streamed, refused %d x rate_limited, %d x queue_full, %d other errors%n",
                    options.streams(), options.keys(), flood.streamed.get(), flood.rateLimited.get(), flood.queueFull.get(), flood.other.get()));
            text.append(String.format("  other tenants, %d questions one after another: %d answered, %d refused%s%n", others.size(),
                    firstTokens.size(), refusals.size(), refusals.isEmpty() ? "" : " (" + refusals.get(0).replaceAll("\\s+", " ")
                            .substring(0, Math.min(80, refusals.get(0).length())) + "...)"));
            if (!firstTokens.isEmpty()) {
                text.append(String.format("  their time to first token: %s%n", ttft));
                text.append(String.format("  of which waiting for a generation slot: %s; p50 / T = %.2f, max / T = %.2f%n", waited,
                        waited.p50() / slotMillis, waited.max() / slotMillis));
            }
            Percentiles held = Percentiles.ofNanos(List.copyOf(flood.generations));
            if (held.count() > 0) {
                text.append(String.format("  tenant A's generations held their slot: %s; their wait for a slot max / held p50 = %.2f%n",
                        held, firstTokens.isEmpty() ? Double.NaN : waited.max() / held.p50()));
            }
            return text.toString();
        }
    }

    /** What the flooding tenant's requests came to; {@link #add} answers whether the request was admitted. */
    private static final class Tally {

        final AtomicInteger streamed = new AtomicInteger();
        final AtomicInteger rateLimited = new AtomicInteger();
        final AtomicInteger queueFull = new AtomicInteger();
        final AtomicInteger other = new AtomicInteger();
        final List<Long> generations = Collections.synchronizedList(new ArrayList<>());

        /** While the other tenants ask, how long each of A's answers held its slot is kept. */
        volatile boolean measuring;

        boolean add(SseQuestions.Outcome outcome) {
            if (outcome.ok()) {
                streamed.incrementAndGet();
                if (measuring) {
                    generations.add(outcome.doneNanos() - outcome.firstTokenNanos() + FIRST_TOKEN_MS * 1_000_000L);
                }
                return true;
            }
            String error = String.valueOf(outcome.error());
            (error.contains("rate_limited") ? rateLimited : error.contains("queue_full") ? queueFull : other).incrementAndGet();
            return false;
        }
    }

    record Options(int streams, int keys, int questions, int tokens, int tokenMillis, boolean withoutShares) {

        static Options parse(String[] args) {
            int streams = 200;
            int keys = 4;
            int questions = 20;
            int tokens = 40;
            int tokenMillis = 50;
            boolean withoutShares = true;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--streams" -> streams = Integer.parseInt(args[++i]);
                    case "--keys" -> keys = Integer.parseInt(args[++i]);
                    case "--questions" -> questions = Integer.parseInt(args[++i]);
                    case "--tokens" -> tokens = Integer.parseInt(args[++i]);
                    case "--token-ms" -> tokenMillis = Integer.parseInt(args[++i]);
                    case "--without-shares" -> withoutShares = Boolean.parseBoolean(args[++i]);
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + "; options: --streams N (200), --keys N (4), --questions N (20), --tokens N (40), --token-ms N (50), --without-shares true|false (true)");
                }
            }
            return new Options(streams, keys, questions, tokens, tokenMillis, withoutShares);
        }
    }
}
