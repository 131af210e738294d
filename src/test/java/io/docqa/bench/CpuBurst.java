package io.docqa.bench;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import reactor.core.publisher.Flux;

/**
 * A burst of questions asked at once of one service, each answered by the fast fake model (a few tokens): the
 * service's CPU per question, read from {@code /proc} before and after (all its threads, the embedding threads apart).
 */
final class CpuBurst {

    record Result(int questions, int errors, double seconds, double msPerQuestion, double embeddingMsPerQuestion, Percentiles firstTokens) {

        @Override
        public String toString() {
            return String.format("%.2f ms of service CPU per question (embedding threads %.2f ms), %d questions in %.1f s, %d errors,"
                    + " time to first token %s", msPerQuestion, embeddingMsPerQuestion, questions, seconds, errors, firstTokens);
        }
    }

    private CpuBurst() {
    }

    static Result run(SseQuestions questions, long pid, List<String> tenants, int count, Random random) {
        List<String> texts = IntStream.range(0, count).mapToObj(i -> Corpus.question(random)).toList();
        CpuUse before = CpuUse.take(pid);
        long started = System.nanoTime();
        List<SseQuestions.Outcome> outcomes = Flux.range(0, count)
                .flatMap(i -> questions.ask(tenants.get(i % tenants.size()), texts.get(i)), count)
                .collectList()
                .block();
        double seconds = (System.nanoTime() - started) / 1e9;
        CpuUse cpu = CpuUse.take(pid).since(before);
        int errors = (int) outcomes.stream().filter(outcome -> !outcome.ok()).count();
        outcomes.stream().filter(outcome -> !outcome.ok()).limit(3).forEach(outcome -> System.out.println("  error: " + outcome));
        return new Result(count, errors, seconds, cpu.service() * 10.0 / count, cpu.embedding() * 10.0 / count,
                Percentiles.ofNanos(outcomes.stream().filter(SseQuestions.Outcome::ok).map(SseQuestions.Outcome::firstTokenNanos).toList()));
    }
}
