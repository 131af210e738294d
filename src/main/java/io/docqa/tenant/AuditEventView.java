package io.docqa.tenant;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/** One entry of {@code GET /api/v1/audit-events}. */
record AuditEventView(long id, Instant at, AuditActor actor, String action, AuditTarget target, String clientIp,
        String requestId, JsonNode details) {
}
