package io.docqa.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One {@code POST /api/chat} as {@link FakeOllama} received it. Header names are lower-case. */
public record ReceivedChat(String model, boolean stream, List<Turn> messages, Map<String, Object> options,
        Map<String, String> headers, String body) {

    public record Turn(String role, String content) {
    }

    /** An option the client sent ({@code num_predict}, {@code temperature}, ...), or null. */
    public Object option(String name) {
        return options.get(name);
    }

    @SuppressWarnings("unchecked")
    static ReceivedChat parse(String body, Map<String, String> headers) {
        JsonNode json = JsonMapper.shared().readTree(body.isBlank() ? "{}" : body);
        List<Turn> turns = new ArrayList<>();
        for (JsonNode message : json.path("messages").values()) {
            turns.add(new Turn(message.path("role").asString(""), message.path("content").asString("")));
        }
        Map<String, Object> options = json.path("options").isObject()
                ? JsonMapper.shared().convertValue(json.path("options"), LinkedHashMap.class)
                : Map.of();
        boolean stream = !json.path("stream").isBoolean() || json.path("stream").asBoolean();
        return new ReceivedChat(json.path("model").asString(""), stream, List.copyOf(turns), options, headers, body);
    }
}
