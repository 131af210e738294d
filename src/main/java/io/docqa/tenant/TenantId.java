package io.docqa.tenant;

import java.util.Objects;
import java.util.UUID;

/** The id of a tenant. Always taken from the authenticated caller, never from a request. */
public record TenantId(UUID value) {

    public TenantId {
        Objects.requireNonNull(value, "value");
    }

    public static TenantId random() {
        return new TenantId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
