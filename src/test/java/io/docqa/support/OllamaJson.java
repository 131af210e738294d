package io.docqa.support;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** The bodies Ollama writes, field for field as Ollama 0.x sends them. */
final class OllamaJson {

    private OllamaJson() {
    }

    static Map<String, Object> token(String model, String text) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("model", model);
        line.put("created_at", Instant.now().toString());
        line.put("message", Map.of("role", "assistant", "content", text));
        line.put("done", false);
        return line;
    }

    /** The last line of a stream (content empty), or the whole answer when not streaming. */
    static Map<String, Object> done(String model, String content, String reason, int promptEvalCount, int evalCount) {
        Map<String, Object> line = token(model, content);
        line.put("done_reason", reason);
        line.put("done", true);
        line.put("total_duration", 1_000_000L * (evalCount + 10));
        line.put("load_duration", 1_000_000L);
        line.put("prompt_eval_count", promptEvalCount);
        line.put("prompt_eval_duration", 2_000_000L);
        line.put("eval_count", evalCount);
        line.put("eval_duration", 1_000_000L * evalCount);
        return line;
    }

    static Map<String, Object> error(String message) {
        return Map.of("error", message);
    }

    static Map<String, Object> tag(String name) {
        return Map.of("name", name, "model", name, "modified_at", "2026-01-01T00:00:00Z", "size", 2019393189L,
                "digest", Integer.toHexString(name.hashCode()),
                "details", Map.of("parent_model", "", "format", "gguf", "family", "llama", "families", List.of("llama"),
                        "parameter_size", "3.2B", "quantization_level", "Q4_K_M"));
    }

    static String write(Object json) {
        return JsonMapper.shared().writeValueAsString(json);
    }

    static String line(Object json) {
        return write(json) + "\n";
    }
}
