package io.docqa.chat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Component;
import io.docqa.web.ApiException;

/** Checks a chat request against the configured limits, before any work is done. */
@Component
class ChatLimits {

    private final ChatProperties properties;

    ChatLimits(ChatProperties properties) {
        this.properties = properties;
    }

    Question check(ChatRequest request) {
        List<ApiException.FieldError> errors = new ArrayList<>();
        String question = request.question().strip();
        if (question.codePoints().allMatch(ChatLimits::invisible)) {
            errors.add(new ApiException.FieldError("question", "must contain visible text"));
        }
        if (question.length() > properties.maxQuestionLength()) {
            errors.add(new ApiException.FieldError("question", "must be at most " + properties.maxQuestionLength() + " characters"));
        }
        int topK = request.topK() == null ? properties.defaultTopK() : request.topK();
        if (topK < 1 || topK > properties.maxTopK()) {
            errors.add(new ApiException.FieldError("top_k", "must be from 1 to " + properties.maxTopK()));
        }
        List<UUID> named = request.documentIds() == null ? List.of() : request.documentIds();
        Set<UUID> documentIds = new LinkedHashSet<>(named);
        if (documentIds.contains(null)) {
            errors.add(new ApiException.FieldError("document_ids", "must not contain null"));
        }
        if (documentIds.size() > properties.maxDocumentIds()) {
            errors.add(new ApiException.FieldError("document_ids", "must name at most " + properties.maxDocumentIds() + " documents"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return new Question(question, request.conversationId(), documentIds, topK, request.minScore(), request.topK() == null);
    }

    /** White space, zero-width and other format characters: a question of nothing else asks nothing. */
    private static boolean invisible(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || type == Character.FORMAT
                || type == Character.CONTROL || type == Character.SURROGATE;
    }

    /**
     * {@code minScore} is null unless the caller set one (see {@link Retrieval}); {@code topKByDefault} when the caller
     * named no {@code top_k}, so the tenant's default applies.
     */
    record Question(String text, UUID conversationId, Set<UUID> documentIds, int topK, Double minScore, boolean topKByDefault) {

        Question withDefaultTopK(int defaultTopK) {
            return topKByDefault ? new Question(text, conversationId, documentIds, defaultTopK, minScore, true) : this;
        }
    }
}
