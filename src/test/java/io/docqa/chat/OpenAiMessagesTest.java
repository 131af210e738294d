package io.docqa.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import io.docqa.ai.ChatTurn;
import io.docqa.web.ApiException;
import tools.jackson.databind.json.JsonMapper;

class OpenAiMessagesTest {

    private final OpenAiMessages messages = new OpenAiMessages(new ChatLimits(new ChatProperties(4, 100, Duration.ofSeconds(5),
            50, 4, 20, 0.6, 12000, 1500, 100, Duration.ofSeconds(15))));

    @Test
    void theLastUserMessageIsTheQuestionAndTheUserAndAssistantTurnsBeforeItTheConversation() {
        OpenAiMessages.Asked asked = messages.read(request("docqa", List.of(
                Map.of("role", "system", "content", "You are a pirate."),
                Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "Refunds?"),
                        Map.of("type", "text", "text", "In the EU."))),
                assistantWithToolCall(),
                Map.of("role", "tool", "content", "{}", "tool_call_id", "c1"),
                Map.of("role", "assistant", "content", "Within 30 days [1]."),
                Map.of("role", "developer", "content", "Be brief."),
                Map.of("role", "user", "content", "  And for digital goods?  "))));

        assertThat(asked.question().text()).isEqualTo("And for digital goods?");
        assertThat(asked.question().conversationId()).isNull();
        assertThat(asked.earlier()).containsExactly(ChatTurn.user("Refunds?\nIn the EU."), ChatTurn.assistant(""),
                ChatTurn.assistant("Within 30 days [1]."));
    }

    @Test
    void everyFieldAtFaultIsNamedTheFirstAsParam() {
        assertThatThrownBy(() -> messages.read(request(null, List.of(
                Map.of("role", "captain", "content", "Hi"),
                Map.of("role", "user", "content", List.of(Map.of("type", "image_url", "image_url", Map.of("url", "x")))),
                Map.of("role", "user", "content", "bad \u0000 byte"),
                Map.of("role", "assistant", "content", "Done.")))))
                .isInstanceOfSatisfying(ApiException.class, error -> {
                    assertThat(error.code()).isEqualTo("validation_failed");
                    assertThat(error.errors()).extracting(ApiException.FieldError::field).containsExactly("model",
                            "messages[0].role", "messages[1].content", "messages[2].content", "messages");
                });
    }

    @Test
    void noMessagesOrMoreThanOneChoiceAreRefused() {
        assertThatThrownBy(() -> messages.read(new OpenAiRequest("docqa", null, false, null, 2)))
                .isInstanceOfSatisfying(ApiException.class, error -> assertThat(error.errors())
                        .extracting(ApiException.FieldError::field).containsExactly("n", "messages"));
    }

    @Test
    void theQuestionKeepsTheChatLimitsAndNamesItsMessage() {
        assertThatThrownBy(() -> messages.read(request("docqa", List.of(Map.of("role", "user", "content", "x".repeat(51))))))
                .isInstanceOfSatisfying(ApiException.class, error -> assertThat(error.errors())
                        .extracting(ApiException.FieldError::field).containsExactly("messages[0].content"));
        assertThatThrownBy(() -> messages.read(request("docqa", List.of(Map.of("role", "user", "content", " ")))))
                .isInstanceOfSatisfying(ApiException.class, error -> assertThat(error.errors())
                        .extracting(ApiException.FieldError::field).containsExactly("messages[0].content"));
    }

    @Test
    void anotherModelIsNotFound() {
        assertThatThrownBy(() -> messages.read(request("gpt-4o", List.of(Map.of("role", "user", "content", "Hi")))))
                .isInstanceOfSatisfying(ApiException.class, error -> {
                    assertThat(error.status().value()).isEqualTo(404);
                    assertThat(error.code()).isEqualTo("model_not_found");
                });
    }

    private static Map<String, Object> assistantWithToolCall() {
        return Map.of("role", "assistant", "tool_calls", List.of(Map.of("id", "c1", "type", "function")));
    }

    /** Read as the service reads a body: snake_case JSON into the record. */
    private static OpenAiRequest request(String model, List<Map<String, Object>> messages) {
        JsonMapper json = JsonMapper.builder().propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE).build();
        Map<String, Object> body = new java.util.HashMap<>(Map.of("messages", messages));
        body.put("model", model);
        return json.readValue(json.writeValueAsString(body), OpenAiRequest.class);
    }
}
