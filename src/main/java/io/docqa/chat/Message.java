package io.docqa.chat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

record Message(UUID id, String role, String content, List<Source> sources, String finishReason, Instant createdAt) {
}
