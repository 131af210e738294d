package io.docqa.tenant;

import java.util.UUID;

/**
 * Who did what an audit event records: {@code type} is {@code user}, {@code api_key}, {@code operator} (the people who
 * run the service) or {@code anonymous}. A null {@code email} of a user or API key is filled in when the event is
 * recorded: the user's, or that of the user who made the key.
 */
public record AuditActor(String type, String id, String email) {

    public static AuditActor of(Caller caller) {
        return caller.isUser() ? user(caller.userId()) : new AuditActor("api_key", caller.apiKeyId().toString(), null);
    }

    public static AuditActor user(UUID id) {
        return new AuditActor("user", id.toString(), null);
    }

    public static AuditActor anonymous() {
        return new AuditActor("anonymous", null, null);
    }

    /** An operator acting off the public API; {@code name} says which credential or tool, or is null. */
    public static AuditActor operator(String name) {
        return new AuditActor("operator", name, null);
    }

    UUID userId() {
        return "user".equals(type) ? UUID.fromString(id) : null;
    }

    UUID apiKeyId() {
        return "api_key".equals(type) ? UUID.fromString(id) : null;
    }
}
