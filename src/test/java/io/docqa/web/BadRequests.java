package io.docqa.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.docqa.support.ApiOperations.Operation;
import io.docqa.support.RawHttp;
import io.docqa.support.RawHttp.Request;
import tools.jackson.databind.JsonNode;

/**
 * The battery of bad requests for one operation: odd methods, bad ids and query parameters, over-long URIs, huge and
 * broken headers, bad content types, charsets and Accept values, broken and mistyped JSON, nasty strings in every
 * field, and broken multipart bodies. Everything that is not bad on purpose is made from the operation's description,
 * so that each request is wrong in one way only.
 */
final class BadRequests {

    static final List<String> BAD_IDS = List.of("%2f", "%2F..%2F", "%00", "%zz", "%", "%ff%fe", "%e2%80%8b", "%0d%0aX-Injected:1",
            "%5c", "%25", "..", "%2e%2e", ";x=1", "not-a-uuid", "00000000-0000-0000-0000-000000000000", "a".repeat(3000));

    static final List<String> BAD_QUERY_VALUES = List.of("abc", "-1", "1.5", "99999999999999999999", "%zz", "%00", "", "1%0d%0a",
            "%e2%80%8b", "1&$name=2");

    static final List<String> BAD_METHODS = List.of("FOO", "TRACE", "PROPFIND", "get", "G@T", "PUT");

    static final List<String> BAD_CONTENT_TYPES = List.of("text/plain", "application/json; charset=ebcdic",
            "application/json; charset=\"", "???", "application/x-www-form-urlencoded", "multipart/form-data", "application/xml",
            "application/json;;;", "*/*");

    static final List<String> BAD_ACCEPTS = List.of("???", "application/xml", "application/json;q=abc", "text/event-stream;q=2",
            "*/*; charset=ebcdic", "image/png", ",,,");

    static final List<String> BAD_AUTHORIZATIONS = List.of("Bearer", "Bearer \u0001", "Bearer dq_" + "a".repeat(5000),
            "Basic Zm9vOmJhcg==", "Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Bearer dq_%00", "bearer  x y");

    /** JSON literals for a string field: control characters, unpaired surrogates, invisible and huge text, injections. */
    static final List<String> NASTY_STRINGS = List.of("\"\\u0000\"", "\"a\\u0007b\"", "\"\\ud800\"", "\"\\udc00x\"",
            "\"\\u200b\\u200b\"", "\"   \"", "\"\"", "\"\\u202e\"", "\"' OR 1=1 --\"", "\"%00\"", "\"\\ud83d\\ude00\"",
            "\"" + "x".repeat(200_000) + "\"", "\"" + "é".repeat(5000) + "\"");

    private final String bearer;

    BadRequests(String bearer) {
        this.bearer = bearer;
    }

    List<Request> of(Operation operation) {
        List<Request> requests = new ArrayList<>();
        String target = operation.target(UUID.randomUUID().toString(), null, null);
        byte[] body = sampleBody(operation);
        String contentType = sampleContentType(operation);

        BAD_METHODS.stream().filter(method -> !method.equals(operation.method()))
                .forEach(method -> requests.add(request(method, target, body, "Content-Type", contentType)));
        badTargets(operation).forEach(bad -> requests.add(request(operation.method(), bad, body, "Content-Type", contentType)));
        BAD_ACCEPTS.forEach(accept -> requests.add(request(operation.method(), target, body, "Content-Type", contentType, "Accept", accept)));
        badHeaders(operation, target, body, contentType).forEach(requests::add);
        if (bearer == null) {
            BAD_AUTHORIZATIONS.forEach(auth -> requests.add(new Request(operation.method(), target,
                    RawHttp.headers("Authorization", auth, "Content-Type", contentType), body)));
        }
        if (operation.takesJson()) {
            BAD_CONTENT_TYPES.forEach(type -> requests.add(request(operation.method(), target, body, "Content-Type", type)));
            badJson(operation).forEach(json -> requests.add(request(operation.method(), target, json, "Content-Type", "application/json")));
        }
        if (operation.takesMultipart()) {
            BadMultipart.bodies().forEach((type, multipart) -> requests.add(request(operation.method(), target, multipart,
                    "Content-Type", type, "Accept", "application/json")));
            BadMultipart.bodies().forEach((type, multipart) -> requests.add(request(operation.method(), target, multipart,
                    "Content-Type", type, "Accept", "text/event-stream")));
        }
        return requests;
    }

    private Request request(String method, String target, byte[] body, String... headers) {
        List<String> all = new ArrayList<>(java.util.Arrays.asList(headers));
        if (bearer != null) {
            all.add("Authorization");
            all.add(bearer);
        }
        return new Request(method, target, RawHttp.headers(all.toArray(String[]::new)), body);
    }

    private static List<String> badTargets(Operation operation) {
        List<String> targets = new ArrayList<>();
        String good = UUID.randomUUID().toString();
        for (String variable : operation.pathVariables()) {
            BAD_IDS.forEach(bad -> targets.add(operation.target(good, variable, bad)));
        }
        String base = operation.target(good, null, null);
        if (operation.pathVariables().isEmpty()) {
            List.of("/%2f", "/%00", "/%zz", "//", "/..", "%00", ";x=1").forEach(suffix -> targets.add(base + suffix));
        }
        for (String name : operation.query().keySet()) {
            BAD_QUERY_VALUES.forEach(value -> targets.add(base + "?" + name + "=" + value.replace("$name", name)));
        }
        List.of("?%zz", "?a=%00", "?=", "?&&&", "?a[b]=1", "?page=1&page=x", "?%e2%80%8b=%ff").forEach(query -> targets.add(base + query));
        targets.add(base + "?q=" + "a".repeat(10_000));
        targets.add(base + "/" + "a".repeat(9_000));
        return targets;
    }

    private List<Request> badHeaders(Operation operation, String target, byte[] body, String contentType) {
        String method = operation.method();
        List<Request> requests = new ArrayList<>();
        requests.add(request(method, target, body, "Content-Type", contentType, "X-Big", "b".repeat(20_000)));
        String[] many = IntStream.range(0, 200).mapToObj(i -> new String[] { "X-Many-" + i, "v".repeat(100) })
                .flatMap(java.util.Arrays::stream).toArray(String[]::new);
        List<String> manyAndType = new ArrayList<>(java.util.Arrays.asList(many));
        manyAndType.addAll(List.of("Content-Type", contentType == null ? "text/plain" : contentType));
        requests.add(request(method, target, body, manyAndType.toArray(String[]::new)));
        requests.add(request(method, target, body, "Content-Type", contentType, "X-Control", "a\u0001b"));
        requests.add(request(method, target, body, "Content-Type", contentType, "Bad Header", "y"));
        requests.add(request(method, target, body, "Content-Type", contentType, "X-Request-Id", "\u0001" + "r".repeat(5000)));
        requests.add(request(method, target, body, "Content-Type", contentType, "X-Request-Id", "a\u00ffb"));
        requests.add(request(method, target, body, "Content-Type", contentType, "traceparent", "00-zz-zz-zz"));
        requests.add(request(method, target, body, "Content-Type", contentType, "X-Forwarded-For", "not an address, ::::, 999.1.1.1"));
        requests.add(request(method, target, body, "Content-Type", contentType, "Origin", "https://evil.example.test"));
        requests.add(request(method, target, body, "Content-Type", contentType, "Origin", "null"));
        requests.add(request(method, target, body, "Content-Type", contentType, "Accept-Charset", "ebcdic"));
        requests.add(request(method, target, body, "Content-Type", contentType, "Accept-Encoding", "zstd;q=x, gzip;q=-1"));
        requests.add(request(method, target, body, "Content-Type", contentType, "Content-Encoding", "gzip"));
        requests.add(request(method, target, body, "Content-Type", contentType, "Expect", "101-whatever"));
        requests.add(request(method, target, body, "Content-Type", contentType, "Range", "bytes=9-1"));
        requests.add(request(method, target, body, "Content-Type", contentType, "If-None-Match", "\u0000"));
        return requests;
    }

    private static List<byte[]> badJson(Operation operation) {
        List<String> bodies = new ArrayList<>(List.of("", "{", "[1]", "null", "\"text\"", "123", "{}", "{\"a\":1}xyz",
                "\ufeff" + sampleJson(operation, Map.of()), "[".repeat(5000) + "]".repeat(5000),
                "{\"" + "k".repeat(100_000) + "\":1}", "{\"a\":" + "1".repeat(100_000) + "}", "{\"a\":\"\\uZZZZ\"}",
                "{'single':'quotes'}", "{\"a\":NaN}", "{\"a\":1,}", "/* comment */ {}"));
        Map<String, JsonNode> properties = operation.bodyProperties();
        if (!properties.isEmpty()) {
            String first = properties.keySet().iterator().next();
            bodies.add(sampleJson(operation, Map.of()).replaceFirst("\\}$", ",\"" + first + "\":" + sample(first, properties.get(first), operation) + "}"));
        }
        properties.forEach((name, schema) -> {
            List<String> values = switch (operation.api().type(schema)) {
                case "integer" -> List.of("\"abc\"", "1.5", "1e30", "-1", "99999999999999999999", "null", "true");
                case "number" -> List.of("\"abc\"", "1e999", "-1", "1e-999", "null");
                case "boolean" -> List.of("\"yes\"", "1", "null");
                case "array" -> List.of("\"x\"", "[null]", "[123]", "[{}]", "[\"not-a-uuid\"]",
                        IntStream.range(0, 10_000).mapToObj(i -> "\"" + UUID.randomUUID() + "\"").collect(Collectors.joining(",", "[", "]")));
                case "object" -> List.of("\"x\"", "[]", "1");
                default -> {
                    List<String> strings = new ArrayList<>(NASTY_STRINGS);
                    strings.addAll(List.of("123", "true", "{}", "[]", "null"));
                    yield strings;
                }
            };
            values.forEach(value -> bodies.add(sampleJson(operation, Map.of(name, value))));
        });
        List<byte[]> raw = new ArrayList<>(bodies.stream().map(b -> b.getBytes(StandardCharsets.UTF_8)).toList());
        raw.add(invalidUtf8(operation));
        return raw;
    }

    /** A sample body whose first string field holds bytes that are not UTF-8. */
    private static byte[] invalidUtf8(Operation operation) {
        byte[] json = sampleJson(operation, Map.of()).getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[json.length + 3];
        System.arraycopy(json, 0, bad, 0, json.length - 1);
        bad[json.length - 1] = (byte) 0xff;
        bad[json.length] = (byte) 0xfe;
        bad[json.length + 1] = (byte) 0xc0;
        bad[json.length + 2] = '}';
        return bad;
    }

    private static byte[] sampleBody(Operation operation) {
        if (operation.takesJson()) {
            return sampleJson(operation, Map.of()).getBytes(StandardCharsets.UTF_8);
        }
        if (operation.takesMultipart()) {
            return BadMultipart.valid();
        }
        return null;
    }

    private static String sampleContentType(Operation operation) {
        return operation.takesJson() ? "application/json" : operation.takesMultipart() ? BadMultipart.TYPE : null;
    }

    /** The operation's JSON body with plausible values, {@code overrides} (raw JSON literals) put in. */
    static String sampleJson(Operation operation, Map<String, String> overrides) {
        return operation.bodyProperties().entrySet().stream()
                .map(p -> "\"" + p.getKey() + "\":" + overrides.getOrDefault(p.getKey(), sample(p.getKey(), p.getValue(), operation)))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String sample(String name, JsonNode schema, Operation operation) {
        if (schema.has("enum")) {
            return "\"" + schema.path("enum").get(schema.path("enum").size() - 1).asString() + "\"";
        }
        String format = schema.path("format").asString("");
        return switch (operation.api().type(schema)) {
            case "integer" -> schema.has("minimum") ? schema.path("minimum").asString() : "1";
            case "number" -> "0.5";
            case "boolean" -> "false";
            case "array" -> "[]";
            case "object" -> "{}";
            default -> format.equals("uuid") ? "\"" + UUID.randomUUID() + "\""
                    : format.equals("email") || name.contains("email") ? "\"bad-input-" + UUID.randomUUID() + "@example.test\""
                    : name.contains("password") ? "\"correct horse battery\"" : "\"sample text\"";
        };
    }
}
