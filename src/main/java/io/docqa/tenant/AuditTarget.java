package io.docqa.tenant;

/** What an audit event is about: {@code user}, {@code api_key}, {@code document}, {@code conversation}, {@code tenant}... */
public record AuditTarget(String type, String id) {

    public static AuditTarget of(String type, Object id) {
        return new AuditTarget(type, id == null ? null : id.toString());
    }

    public static AuditTarget tenant(TenantId tenant) {
        return of("tenant", tenant.value());
    }
}
