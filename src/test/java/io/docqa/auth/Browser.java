package io.docqa.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser as far as a sign-on needs one: real HTTP, redirects taken one at a time (so that a test can look at or
 * tamper with each), cookies kept by name for the one host everything runs on (browsers ignore ports for cookies),
 * and the provider's HTML forms filled in and posted.
 */
final class Browser {

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final String accept;

    /** {@code accept}: what the browser asks for on navigations ({@code text/html,...} as browsers do, or JSON). */
    Browser(String accept) {
        this.accept = accept;
    }

    static Browser html() {
        return new Browser("text/html,application/xhtml+xml,*/*;q=0.8");
    }

    Page get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET().header("Accept", accept));
    }

    /** A navigation that asks for {@code type} instead (a script's request, say). */
    Page get(URI uri, String type) {
        return send(HttpRequest.newBuilder(uri).GET().header("Accept", type));
    }

    /** Fills in the page's form (with {@code login} and a password where it asks for them) and posts it. */
    Page submit(Page page, String login) {
        Matcher action = FORM_ACTION.matcher(page.body());
        if (!action.find()) {
            throw new AssertionError("no form on " + page.uri() + ": " + page.body());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(page.body());
        while (hidden.find()) {
            fields.put(hidden.group(1), hidden.group(2));
        }
        if (page.body().contains("name=\"login\"")) {
            fields.put("login", login);
            fields.put("password", "any password");
        }
        String form = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(page.uri().resolve(action.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    boolean hasCookie(String name) {
        return cookies.containsKey(name);
    }

    void forget(String cookie) {
        cookies.remove(cookie);
    }

    private Page send(HttpRequest.Builder request) {
        request.timeout(Duration.ofSeconds(60));
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpRequest built = request.build();
        try {
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            for (String set : response.headers().allValues("Set-Cookie")) {
                String pair = set.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                boolean expired = set.toLowerCase().contains("max-age=0") || set.toLowerCase().contains("expires=thu, 01 jan 1970");
                if (expired || value.isEmpty()) {
                    cookies.remove(name);
                }
                else {
                    cookies.put(name, value);
                }
            }
            return new Page(built.uri(), response.statusCode(),
                    response.headers().firstValue("Location").map(built.uri()::resolve).orElse(null), response.body());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    record Page(URI uri, int status, URI location, String body) {

        boolean isRedirect() {
            return status >= 300 && status < 400 && location != null;
        }
    }
}
