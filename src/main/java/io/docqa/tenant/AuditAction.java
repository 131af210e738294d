package io.docqa.tenant;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** What an audit event records; its JSON name is the lower-case constant ({@code login_failed}). */
public enum AuditAction {

    SIGNUP, LOGIN_SUCCEEDED, LOGIN_FAILED, REFRESH_REUSED, LOGOUT, SSO_LOGIN_SUCCEEDED, SSO_LOGIN_FAILED,
    USER_CREATED, ROLE_CHANGED, USER_DISABLED, USER_ENABLED, USER_DELETED,
    API_KEY_CREATED, API_KEY_REVOKED,
    DOCUMENT_UPLOADED, DOCUMENT_DELETED,
    CONVERSATION_READ, CONVERSATIONS_LISTED,
    SETTINGS_CHANGED, QUOTA_CHANGED, TENANT_DELETED;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AuditAction> parse(String value) {
        for (AuditAction action : values()) {
            if (action.json().equals(value)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
