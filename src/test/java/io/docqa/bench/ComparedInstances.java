package io.docqa.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The measured service and other instances of it on the same database and Chroma (another retrieval mode, another
 * build), asked the same questions one after another, each question of every instance in turn (the order rotating):
 * a same-run comparison, on which the drift of a loaded machine's speed falls equally.
 */
final class ComparedInstances implements AutoCloseable {

    record Instance(String name, SseQuestions questions, long pid) {
    }

    /** What one instance added to the time to first token, and the time to its {@code sources} event. */
    record Times(Percentiles added, Percentiles sources) {
    }

    private final List<Instance> instances = new ArrayList<>();
    private final List<AutoCloseable> owned = new ArrayList<>();

    ComparedInstances(String name, SseQuestions questions, long pid) {
        instances.add(new Instance(name, questions, pid));
    }

    /** Starts another instance of the packaged service (or of {@code jar} when not null) with {@code settings} added. */
    void start(String name, Path jar, String ollamaUrl, List<String> jvmOptions, Map<String, String> settings) {
        String log = "chat-service-" + name.replaceAll("[^A-Za-z0-9.-]", "_");
        ServiceProcess service = jar == null
                ? ServiceProcess.start(log, ollamaUrl, jvmOptions, settings)
                : ServiceProcess.start(log, jar, List.of(), ollamaUrl, jvmOptions, settings, "readiness");
        owned.add(service);
        SseQuestions questions = new SseQuestions(service.baseUrl(), 1100);
        owned.add(questions);
        instances.add(new Instance(name, questions, service.pid()));
    }

    int size() {
        return instances.size();
    }

    List<Instance> instances() {
        return List.copyOf(instances);
    }

    /** {@code count} questions to {@code token}'s tenant (a token renewed as it ages), each asked of every instance in turn; the times of each instance. */
    Map<String, Times> ask(java.util.function.Supplier<String> token, int count, Random random, Duration modelDelay) {
        Map<String, List<Long>> added = new LinkedHashMap<>();
        Map<String, List<Long>> sources = new LinkedHashMap<>();
        instances.forEach(instance -> {
            added.put(instance.name(), new ArrayList<>(count));
            sources.put(instance.name(), new ArrayList<>(count));
        });
        for (int i = 0; i < count; i++) {
            String question = Corpus.question(random);
            for (int j = 0; j < instances.size(); j++) {
                Instance instance = instances.get((i + j) % instances.size());
                SseQuestions.Outcome outcome = instance.questions().ask(token.get(), question).block();
                if (outcome == null || !outcome.ok()) {
                    throw new IllegalStateException("Question " + i + " to " + instance.name() + " failed: " + outcome);
                }
                added.get(instance.name()).add(outcome.firstTokenNanos() - modelDelay.toNanos());
                sources.get(instance.name()).add(outcome.sourcesNanos());
            }
        }
        Map<String, Times> times = new LinkedHashMap<>();
        instances.forEach(instance -> times.put(instance.name(),
                new Times(Percentiles.ofNanos(added.get(instance.name())), Percentiles.ofNanos(sources.get(instance.name())))));
        return times;
    }

    /** The machine's load averages over 1, 5 and 15 minutes, as {@code /proc/loadavg} gives them. */
    static String loadAverage() {
        try {
            String[] fields = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            AutoCloseable closeable = owned.get(i);
            try {
                closeable.close();
            } catch (Exception e) {
                System.out.println("  could not stop " + closeable + ": " + e);
            }
        }
    }
}
