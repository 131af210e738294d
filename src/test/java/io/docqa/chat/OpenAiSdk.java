package io.docqa.chat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.docqa.support.NpmPackage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official {@code openai} npm client, run by Node.js against the service under test ({@code openai/client.mjs}):
 * each call is one Node process, as a script built on the SDK would be.
 */
final class OpenAiSdk {

    /** Pinned: the last major line that runs on Node.js 20 (7.x asks for 22). */
    static final String VERSION = "6.49.0";

    private static final JsonMapper JSON = JsonMapper.shared();

    private final String baseUrl;
    private final String apiKey;

    OpenAiSdk(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    /** {@code {"result": ...}} or {@code {"error": {class, status, message, type, param, code, error}}}. */
    JsonNode create(Map<String, Object> request) {
        return run("create", request);
    }

    /** {@code {"result": {"chunks": [...]}}}, or the error the iteration threw. */
    JsonNode stream(Map<String, Object> request) {
        return run("stream", request);
    }

    JsonNode models() {
        return run("models", Map.of());
    }

    JsonNode model(String id) {
        return run("model", Map.of("id", id));
    }

    private JsonNode run(String op, Map<String, Object> request) {
        Path npm = NpmPackage.install("openai", VERSION);
        String command = JSON.writeValueAsString(Map.of("op", op, "request", request));
        ProcessBuilder builder = new ProcessBuilder("node", script().toString(), command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("DOCQA_NPM_DIR", npm.toString());
        builder.environment().put("OPENAI_BASE_URL", baseUrl);
        builder.environment().put("OPENAI_API_KEY", apiKey);
        try {
            Process node = builder.start();
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(node.getErrorStream()));
            String stdout = read(node.getInputStream());
            if (!node.waitFor(90, TimeUnit.SECONDS)) {
                node.destroyForcibly();
                throw new AssertionError("the openai client did not finish in 90 s");
            }
            if (node.exitValue() != 0 || stdout.isBlank()) {
                throw new AssertionError("the openai client failed (" + node.exitValue() + "): " + stderr.join() + stdout);
            }
            return JSON.readTree(stdout);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot run node (Node.js 20 or newer is needed)", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path script() {
        try {
            return Path.of(OpenAiSdk.class.getResource("/openai/client.mjs").toURI());
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
