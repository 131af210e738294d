package io.docqa.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import io.docqa.ai.ChatTurn;
import io.docqa.web.ApiException;
import io.docqa.web.ApiException.FieldError;
import io.docqa.web.RequestBodies;
import tools.jackson.databind.JsonNode;

/**
 * Reads OpenAI's messages as docqa's question and conversation: the last message is the user's question, the user and
 * assistant messages before it are the conversation. The client's system (and developer) messages are left out: the
 * service's own instructions are the only ones its model gets. Tool messages carry nothing to answer from.
 */
@Component
class OpenAiMessages {

    /** The one model {@code GET /v1/models} lists: the tenant's documents with the service's chat model. */
    static final String MODEL = "docqa";

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    private final ChatLimits limits;

    OpenAiMessages(ChatLimits limits) {
        this.limits = limits;
    }

    Asked read(OpenAiRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request.model() == null || request.model().isBlank()) {
            errors.add(new FieldError("model", "is required: GET /v1/models lists the model, \"" + MODEL + "\""));
        }
        if (request.n() != null && request.n() != 1) {
            errors.add(new FieldError("n", "must be 1: one answer per request"));
        }
        List<OpenAiRequest.Message> messages = request.messages() == null ? List.of() : request.messages();
        List<ChatTurn> turns = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            turn(messages.get(i), "messages[" + i + "]", errors, turns);
        }
        OpenAiRequest.Message last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last == null || !"user".equals(last.role())) {
            errors.add(new FieldError("messages", "must end with a message of the user: the question"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        if (!MODEL.equals(request.model())) {
            throw new ApiException(HttpStatus.NOT_FOUND, "model_not_found",
                    "The model '" + request.model() + "' does not exist; GET /v1/models lists the one there is, '" + MODEL + "'");
        }
        ChatTurn question = turns.remove(turns.size() - 1);
        return new Asked(question(question.text(), "messages[" + (messages.size() - 1) + "].content"), List.copyOf(turns));
    }

    private static void turn(OpenAiRequest.Message message, String field, List<FieldError> errors, List<ChatTurn> turns) {
        if (message == null || message.role() == null || !ROLES.contains(message.role())) {
            errors.add(new FieldError(field + ".role", "must be one of system, developer, user, assistant, tool"));
            return;
        }
        String text = text(message.content(), "assistant".equals(message.role()));
        if (text == null) {
            errors.add(new FieldError(field + ".content", "must be a string or an array of text parts"));
        }
        else if (!RequestBodies.isReadable(text)) {
            errors.add(new FieldError(field + ".content", "must not contain control characters or unpaired surrogates"));
        }
        else if ("user".equals(message.role())) {
            turns.add(ChatTurn.user(text));
        }
        else if ("assistant".equals(message.role())) {
            turns.add(ChatTurn.assistant(text));
        }
    }

    /** The text of a content; null when it is neither a string nor text parts. An assistant's may be absent (tool calls). */
    private static String text(JsonNode content, boolean mayBeAbsent) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            return mayBeAbsent ? "" : null;
        }
        if (content.isString()) {
            return content.asString();
        }
        if (!content.isArray()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode part : content) {
            String type = part.path("type").asString("");
            if ("text".equals(type) && part.path("text").isString()) {
                parts.add(part.path("text").asString());
            }
            else if (!"refusal".equals(type)) {
                return null;
            }
        }
        return String.join("\n", parts);
    }

    /** The question within the chat limits; an error names the message it came from. */
    private ChatLimits.Question question(String text, String field) {
        if (text.isBlank()) {
            throw ApiException.invalid(field, "must not be blank");
        }
        try {
            return limits.check(new ChatRequest(text, null, null, null, null));
        }
        catch (ApiException invalid) {
            throw ApiException.validation(invalid.errors().stream().map(error -> new FieldError(field, error.message())).toList());
        }
    }

    /** A question and the turns before it, oldest first. */
    record Asked(ChatLimits.Question question, List<ChatTurn> earlier) {
    }
}
