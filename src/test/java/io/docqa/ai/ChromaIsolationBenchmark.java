package io.docqa.ai;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.docqa.support.ChromaServer;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What each of Chroma's isolation levels ({@code docqa.chroma.isolation}) costs at many tenants. For each level, a
 * fresh Chroma from npm with a data folder of its own and {@code --tenants} tenants of {@code --chunks} random
 * 384-dimension vectors each, added through {@link TenantVectorIndex} four tenants at a time. It prints:
 * <ul>
 *   <li>provisioning: the first add of each tenant (it creates the collection, and the database or Chroma tenant);</li>
 *   <li>search, warm: {@code --searches} top-10 searches, one at a time, of random tenants;</li>
 *   <li>search, first per tenant after a service restart (a new index: each store is built again, 3-4 calls);</li>
 *   <li>Chroma's restart until its heartbeat answers, and then the first search of tenants (segments read from disk);</li>
 *   <li>the size of Chroma's data folder.</li>
 * </ul>
 * Not a test. {@code bash .ci/bench.sh io.docqa.ai.ChromaIsolationBenchmark [--tenants 1000 --chunks 20 --searches 2000
 * --cold 200 --levels collection,database,tenant]}.
 */
public final class ChromaIsolationBenchmark {

    private static final int DIMENSIONS = 384;

    public static void main(String[] args) throws Exception {
        int tenants = intOption(args, "--tenants", 1000);
        int chunks = intOption(args, "--chunks", 20);
        int searches = intOption(args, "--searches", 2000);
        int cold = intOption(args, "--cold", 200);
        List<ChromaIsolation> levels = Stream.of(option(args, "--levels", "collection,database,tenant").split(","))
                .map(name -> ChromaIsolation.valueOf(name.trim().toUpperCase())).toList();
        List<String> report = new ArrayList<>();
        try (Embedder embedder = new Embedder()) {
            for (ChromaIsolation level : levels) {
                report.add(measure(level, embedder, tenants, chunks, searches, cold));
            }
        }
        System.out.printf("%n== Chroma isolation levels (%d cores, load %s): %d tenants x %d chunks%n",
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim(), tenants, chunks);
        report.forEach(System.out::println);
        System.exit(0);
    }

    private static String measure(ChromaIsolation level, Embedder embedder, int tenantCount, int chunks, int searches,
            int cold) throws IOException {
        Path data = Files.createTempDirectory("docqa-chroma-" + level.name().toLowerCase() + "-");
        ChromaServer server = ChromaServer.fromNpm(data.resolve("data"));
        Random random = new Random(15);
        List<TenantId> tenants = IntStream.range(0, tenantCount).mapToObj(i -> TenantId.random()).toList();
        StringBuilder line = new StringBuilder("| " + level.name().toLowerCase());
        try (TenantVectorIndex index = index(server, level, embedder)) {
            long start = System.nanoTime();
            List<Long> provisioning = Collections.synchronizedList(new ArrayList<>());
            Flux.fromIterable(tenants)
                    .flatMap(tenant -> timed(index.add(tenant, chunks(random, chunks)), provisioning), 4)
                    .blockLast();
            double seconds = (System.nanoTime() - start) / 1e9;
            line.append(" | ").append(String.format("%.0f s (%s)", seconds, percentiles(provisioning)));
            line.append(" | ").append(percentiles(searchEach(index, randomTenants(random, tenants, searches), random)));
        }
        try (TenantVectorIndex restarted = index(server, level, embedder)) {
            line.append(" | ").append(percentiles(searchEach(restarted, randomTenants(random, tenants, cold), random)));
        }
        server.stop();
        long start = System.nanoTime();
        server.start();
        double restartSeconds = (System.nanoTime() - start) / 1e9;
        try (TenantVectorIndex afterRestart = index(server, level, embedder)) {
            line.append(" | ").append(String.format("%.1f s, then %s", restartSeconds,
                    percentiles(searchEach(afterRestart, randomTenants(random, tenants, cold), random))));
        }
        line.append(" | ").append(String.format("%.0f MB |", size(data) / 1e6));
        server.stop();
        System.out.println(line);
        return line.toString();
    }

    private static TenantVectorIndex index(ChromaServer server, ChromaIsolation level, Embedder embedder) {
        return new TenantVectorIndex(new ChromaProperties(URI.create(server.url()), Duration.ofSeconds(120), 4, level), embedder);
    }

    private static List<Long> searchEach(TenantVectorIndex index, List<TenantId> tenants, Random random) {
        List<Long> nanos = new ArrayList<>();
        for (TenantId tenant : tenants) {
            timed(index.search(tenant, vector(random), 10, 0.0, Set.of()), nanos).block();
        }
        return nanos;
    }

    private static <T> Mono<T> timed(Mono<T> call, List<Long> nanos) {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            return call.doOnTerminate(() -> nanos.add(System.nanoTime() - start));
        });
    }

    private static List<TenantId> randomTenants(Random random, List<TenantId> tenants, int count) {
        return IntStream.range(0, count).mapToObj(i -> tenants.get(random.nextInt(tenants.size()))).toList();
    }

    private static List<VectorChunk> chunks(Random random, int count) {
        UUID document = UUID.randomUUID();
        return IntStream.range(0, count)
                .mapToObj(i -> new VectorChunk(document, i, null, "chunk " + i + " of " + document, vector(random))).toList();
    }

    private static float[] vector(Random random) {
        float[] vector = new float[DIMENSIONS];
        double norm = 0;
        for (int i = 0; i < DIMENSIONS; i++) {
            vector[i] = (float) random.nextGaussian();
            norm += vector[i] * vector[i];
        }
        for (int i = 0; i < DIMENSIONS; i++) {
            vector[i] /= (float) Math.sqrt(norm);
        }
        return vector;
    }

    private static String percentiles(List<Long> nanos) {
        double[] millis = nanos.stream().mapToDouble(value -> value / 1e6).sorted().toArray();
        return String.format("p50 %.1f ms, p99 %.1f ms", rank(millis, 0.50), rank(millis, 0.99));
    }

    private static double rank(double[] sorted, double quantile) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private static long size(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static int intOption(String[] args, String name, int fallback) {
        return Integer.parseInt(option(args, name, Integer.toString(fallback)));
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
