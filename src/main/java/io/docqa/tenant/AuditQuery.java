package io.docqa.tenant;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.springframework.web.reactive.function.server.ServerRequest;
import io.docqa.web.ApiException;

/**
 * The filters of {@code GET /api/v1/audit-events}: {@code actor} (a user or API key id, or an email), {@code action},
 * {@code from} (inclusive) and {@code to} (exclusive), and the position after which the page starts.
 */
record AuditQuery(String actorId, String actorEmail, AuditAction action, Instant from, Instant to, Position after) {

    /** A keyset position: the time and id of the last entry of the page before. */
    record Position(Instant at, long id) {

        String cursor() {
            long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1000);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(("v1." + micros + "." + id).getBytes());
        }

        static Position parse(String cursor) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor)).split("\\.");
                if (parts.length != 3 || !"v1".equals(parts[0])) {
                    return null;
                }
                long micros = Long.parseLong(parts[1]);
                return new Position(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1000L), Long.parseLong(parts[2]));
            }
            catch (IllegalArgumentException | ArithmeticException e) {
                return null;
            }
        }
    }

    static AuditQuery from(ServerRequest request) {
        List<ApiException.FieldError> errors = new ArrayList<>();
        String actor = param(request, "actor");
        String actorId = null;
        String actorEmail = null;
        if (actor != null && actor.contains("@")) {
            actorEmail = actor;
        }
        else if (actor != null) {
            try {
                actorId = UUID.fromString(actor).toString();
            }
            catch (IllegalArgumentException e) {
                errors.add(new ApiException.FieldError("actor", "must be the id of a user or API key, or an email"));
            }
        }
        String actionName = param(request, "action");
        AuditAction action = actionName == null ? null : AuditAction.parse(actionName).orElse(null);
        if (actionName != null && action == null) {
            errors.add(new ApiException.FieldError("action", "must be one of the audit actions, such as login_failed"));
        }
        Instant from = instant(request, "from", errors);
        Instant to = instant(request, "to", errors);
        if (from != null && to != null && !from.isBefore(to)) {
            errors.add(new ApiException.FieldError("to", "must be after from"));
        }
        String cursor = param(request, "cursor");
        Position after = cursor == null ? null : Position.parse(cursor);
        if (cursor != null && after == null) {
            errors.add(new ApiException.FieldError("cursor", "is not a cursor this API gave"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return new AuditQuery(actorId, actorEmail, action, from, to, after);
    }

    private static Instant instant(ServerRequest request, String name, List<ApiException.FieldError> errors) {
        String raw = param(request, name);
        if (raw == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(raw).toInstant();
        }
        catch (DateTimeParseException e) {
            errors.add(new ApiException.FieldError(name, "must be an ISO-8601 time with an offset, such as 2026-12-01T00:00:00Z"));
            return null;
        }
    }

    private static String param(ServerRequest request, String name) {
        return request.queryParam(name).map(String::trim).filter(value -> !value.isEmpty()).orElse(null);
    }
}
