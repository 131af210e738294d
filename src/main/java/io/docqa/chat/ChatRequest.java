package io.docqa.chat;

import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;

/** The body of {@code POST /api/v1/chat}; bounds that come from configuration are checked in {@link ChatLimits}. */
record ChatRequest(@NotBlank String question, UUID conversationId, List<UUID> documentIds, Integer topK,
        @DecimalMin("0.0") @DecimalMax("1.0") Double minScore) {
}
