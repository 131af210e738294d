package io.docqa.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a question's CPU goes, from async-profiler's collapsed stacks (one line per stack, frames from the thread
 * down to the leaf, then the sample count). A stack counts for the area of its deepest frame that names one, so that
 * a JSON parse inside the Chroma search counts as the search, and the rest of the request, which runs inside Spring
 * Security's filter chain, does not count as authentication. Run alone: {@code java ... ProfileTable FILE [ms per question]}.
 */
final class ProfileTable {

    /** Areas in order of precedence for one frame; the thread's name (the first frame) is tried last. */
    private static final Map<String, Pattern> AREAS = areas();

    private final Map<String, Long> samples;
    private final long total;

    private ProfileTable(Map<String, Long> samples) {
        this.samples = samples;
        this.total = samples.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<String, Pattern> areas() {
        Map<String, Pattern> areas = new LinkedHashMap<>();
        areas.put("embedding the question (ai.Embedder, ONNX Runtime)", Pattern.compile(
                "io/docqa/ai/(Embedder|MiniLmModel|TokenWindows|EmbeddingModel)|ai/onnxruntime|ai/djl|libonnxruntime|\\[embed-"));
        areas.put("authentication (JWT, API key, user lookup, Spring Security)", Pattern.compile(
                "io/docqa/auth/|com/nimbusds/|org/springframework/security/|sun/security/ec/|java/security/Signature"));
        areas.put("Chroma search and its JSON (ai.TenantVectorIndex, ReactorHttpClient)", Pattern.compile(
                "io/docqa/ai/(TenantVectorIndex|ChromaCollections|ReactorHttpClient)|store/embedding/chroma|\\[chroma"));
        areas.put("model call (fake Ollama client, ai.OllamaChat)", Pattern.compile(
                "io/docqa/ai/OllamaChat|model/ollama|\\[ollama"));
        areas.put("prompt (chat.PromptBuilder)", Pattern.compile("io/docqa/chat/PromptBuilder"));
        areas.put("SSE and JSON to the client", Pattern.compile(
                "ServerSentEventHttpMessageWriter|io/docqa/chat/(ChatHandler|ChatEvent|KeepAlives|OpenAi)|codec/json|JacksonJsonEncoder"));
        areas.put("PostgreSQL through R2DBC (rows, settings, quotas, ledger)", Pattern.compile(
                "io/r2dbc/|org/springframework/r2dbc/|io/docqa/limits/(UsageLedger|AnswerQuotas|QuotaStates|PeriodCounters)|io/docqa/chat/(Conversations|TenantSettingsStore)|postgresql"));
        areas.put("keyword search (document.KeywordSearch)", Pattern.compile("io/docqa/document/Keyword"));
        areas.put("Redis (rate limits, generation cap)", Pattern.compile("io/lettuce/|io/docqa/limits/(RedisStore|RateLimit|SharedSemaphore)|\\[lettuce"));
        areas.put("logging, metrics, tracing", Pattern.compile(
                "ch/qos/logback|org/slf4j|io/micrometer/|io/opentelemetry|io/docqa/web/LogContext|io/docqa/chat/Answer(Metrics|Metering)|Observation"));
        areas.put("answer orchestration (chat.Answering, Retrieval, gate)", Pattern.compile("io/docqa/chat/"));
        areas.put("HTTP server and WebFlux (Netty, routing, filters)", Pattern.compile(
                "reactor/netty/http/server|org/springframework/web/|io/docqa/web/|io/netty/handler/codec/http"));
        areas.put("garbage collection", Pattern.compile("\\[(GC|G1|VM Periodic)"));
        areas.put("JIT compilers", Pattern.compile("\\[C[12] CompilerThread"));
        return areas;
    }

    static ProfileTable read(Path collapsed) {
        Map<String, Long> samples = new LinkedHashMap<>();
        AREAS.keySet().forEach(area -> samples.put(area, 0L));
        samples.put("other (Netty I/O, Reactor, the JVM)", 0L);
        try (Stream<String> lines = Files.lines(collapsed)) {
            lines.filter(line -> !line.isBlank()).forEach(line -> {
                int space = line.lastIndexOf(' ');
                long count = Long.parseLong(line.substring(space + 1).trim());
                samples.merge(area(line.substring(0, space).split(";")), count, Long::sum);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProfileTable(samples);
    }

    private static String area(String[] frames) {
        for (int i = frames.length - 1; i >= 1; i--) {
            for (Map.Entry<String, Pattern> area : AREAS.entrySet()) {
                if (area.getValue().matcher(frames[i]).find()) {
                    return area.getKey();
                }
            }
        }
        for (Map.Entry<String, Pattern> area : AREAS.entrySet()) {
            if (frames.length > 0 && area.getValue().matcher(frames[0]).find()) {
                return area.getKey();
            }
        }
        return "other (Netty I/O, Reactor, the JVM)";
    }

    /** Markdown rows, largest first: area, share of the samples, and that share of {@code msPerQuestion}. */
    List<String> rows(double msPerQuestion) {
        return samples.entrySet().stream()
                .filter(entry -> entry.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(entry -> String.format("| %s | %.1f %% | %.2f ms |", entry.getKey(), 100.0 * entry.getValue() / total,
                        msPerQuestion * entry.getValue() / total))
                .toList();
    }

    long total() {
        return total;
    }

    public static void main(String[] args) {
        ProfileTable table = read(Path.of(args[0]));
        double ms = args.length > 1 ? Double.parseDouble(args[1]) : 0;
        System.out.println("| area | share of samples (" + table.total() + ") | per question |");
        System.out.println("|---|---|---|");
        table.rows(ms).forEach(System.out::println);
    }
}
