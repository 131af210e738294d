package io.docqa.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real OpenID Providers (panva's certified {@code oidc-provider} on Node.js, {@code oidc/provider.mjs}) for the
 * single sign-on tests (the browser's too): {@code main} and {@code other}, honest and with issuers of their own, and {@code mixup}, a
 * forged discovery document naming {@code other}'s endpoints under another issuer. Clients are registered while
 * they run, once the redirect URIs (the ports of the services under test) are known.
 */
public final class OidcProviders implements AutoCloseable {

    /** Pinned: the newest release; it runs on Node.js 20 (with a warning that 22 is preferred). */
    public static final String VERSION = "9.13.3";

    private static final JsonMapper JSON = JsonMapper.shared();

    private final Process node;
    private final BufferedReader out;
    private final Writer in;
    private final JsonNode issuers;
    private final Path log;

    private OidcProviders(Process node, Path log) throws IOException {
        this.node = node;
        this.log = log;
        this.out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        this.in = node.outputWriter(StandardCharsets.UTF_8);
        this.issuers = JSON.readTree(line());
    }

    public static OidcProviders start() {
        Path npm = NpmPackage.install("oidc-provider", VERSION);
        try {
            Path log = Files.createTempFile("oidc-provider", ".log");
            ProcessBuilder builder = new ProcessBuilder("node", script().toString())
                    .redirectError(log.toFile());
            builder.environment().put("DOCQA_NPM_DIR", npm.toString());
            return new OidcProviders(builder.start(), log);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot run node (Node.js 20 or newer is needed)", e);
        }
    }

    /** The issuer (and base URL) of {@code main}, {@code other} or {@code mixup}. */
    public String issuer(String name) {
        return issuers.get(name).asString();
    }

    public void register(String provider, String clientId, String clientSecret, List<String> redirectUris) {
        Map<String, Object> client = Map.of("client_id", clientId, "client_secret", clientSecret, "redirect_uris", redirectUris,
                "grant_types", List.of("authorization_code"), "response_types", List.of("code"));
        try {
            in.write(JSON.writeValueAsString(Map.of("provider", provider, "client", client)) + "\n");
            in.flush();
            JsonNode answer = JSON.readTree(line());
            if (!clientId.equals(answer.path("registered").asString(""))) {
                throw new AssertionError("the provider did not register " + clientId + ": " + answer);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String line() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IllegalStateException("oidc-provider ended: " + Files.readString(log));
        }
        return line;
    }

    @Override
    public void close() throws InterruptedException {
        node.destroy();
        if (!node.waitFor(10, TimeUnit.SECONDS)) {
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        new File(log.toString()).delete();
    }

    private static Path script() {
        try {
            return Path.of(OidcProviders.class.getResource("/oidc/provider.mjs").toURI());
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
