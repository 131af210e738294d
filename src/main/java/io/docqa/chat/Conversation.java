package io.docqa.chat;

import java.time.Instant;
import java.util.UUID;

/** {@code ownerId} is the user or API key that asked. */
record Conversation(UUID id, String title, Instant createdAt, Instant updatedAt, UUID ownerId) {
}
