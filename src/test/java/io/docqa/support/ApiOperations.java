package io.docqa.support;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/** The operations an OpenAPI 3.1 description declares, with their parameters and request body, {@code $ref}s resolved. */
public final class ApiOperations {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    private final JsonNode description;

    private ApiOperations(JsonNode description) {
        this.description = description;
    }

    public static List<Operation> of(JsonNode description) {
        ApiOperations reader = new ApiOperations(description);
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : description.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> entry : path.getValue().properties()) {
                if (METHODS.contains(entry.getKey())) {
                    operations.add(reader.operation(path.getKey(), entry.getKey(), path.getValue(), entry.getValue()));
                }
            }
        }
        return operations;
    }

    private Operation operation(String path, String method, JsonNode pathItem, JsonNode operation) {
        Map<String, JsonNode> query = new LinkedHashMap<>();
        List<String> pathVariables = new ArrayList<>();
        List<JsonNode> parameters = new ArrayList<>();
        pathItem.path("parameters").forEach(parameters::add);
        operation.path("parameters").forEach(parameters::add);
        for (JsonNode parameter : parameters) {
            JsonNode p = resolve(parameter);
            switch (p.path("in").asString()) {
                case "path" -> pathVariables.add(p.path("name").asString());
                case "query" -> query.put(p.path("name").asString(), resolve(p.path("schema")));
                default -> { }
            }
        }
        JsonNode content = resolve(operation.path("requestBody")).path("content");
        String bodyType = null;
        JsonNode bodySchema = null;
        Iterator<String> types = content.propertyNames().iterator();
        if (types.hasNext()) {
            bodyType = types.next();
            bodySchema = resolve(content.path(bodyType).path("schema"));
        }
        return new Operation(method.toUpperCase(Locale.ROOT), path, pathVariables, query, bodyType, bodySchema, this);
    }

    /** Follows {@code $ref} (local references only) and the first member of {@code allOf}. */
    public JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; hops < 10; hops++) {
            if (current.has("$ref")) {
                current = description.at(current.path("$ref").asString().substring(1));
            }
            else if (current.has("allOf") && current.path("allOf").size() == 1) {
                current = current.path("allOf").get(0);
            }
            else {
                return current;
            }
        }
        return current;
    }

    /** The first non-null {@code type} of a schema ({@code type} may be a list in 3.1), or "string". */
    public String type(JsonNode schema) {
        JsonNode resolved = resolve(schema);
        JsonNode type = resolved.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asString())) {
                    return t.asString();
                }
            }
        }
        if (type.isString()) {
            return type.asString();
        }
        return resolved.has("properties") ? "object" : resolved.has("items") ? "array" : "string";
    }

    /** One operation; {@code bodyType} is null when it takes no body. */
    public record Operation(String method, String path, List<String> pathVariables, Map<String, JsonNode> query,
            String bodyType, JsonNode bodySchema, ApiOperations api) {

        public boolean takesJson() {
            return bodyType != null && bodyType.contains("json");
        }

        public boolean takesMultipart() {
            return bodyType != null && bodyType.startsWith("multipart/");
        }

        /** The path with every variable replaced by {@code value}, or with {@code variable} alone replaced by {@code bad}. */
        public String target(String value, String variable, String bad) {
            String target = path;
            for (String name : pathVariables) {
                target = target.replace("{" + name + "}", name.equals(variable) ? bad : value);
            }
            return target;
        }

        public Map<String, JsonNode> bodyProperties() {
            Map<String, JsonNode> properties = new LinkedHashMap<>();
            if (bodySchema != null) {
                bodySchema.path("properties").properties().forEach(p -> properties.put(p.getKey(), api.resolve(p.getValue())));
            }
            return properties;
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }
}
