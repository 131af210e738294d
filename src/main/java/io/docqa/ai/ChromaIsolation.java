package io.docqa.ai;

import io.docqa.tenant.TenantId;

/**
 * Where a tenant's vectors live in Chroma, chosen by {@code docqa.chroma.isolation}. Every level keeps the models
 * apart (the collection name carries the embedding model) and every record still carries {@code tenant_id}.
 */
public enum ChromaIsolation {

    /** A collection per tenant in Chroma's default tenant and database: the cheapest to create and to search. */
    COLLECTION {
        @Override
        ChromaAddress addressOf(TenantId tenant, String model) {
            return new ChromaAddress(DEFAULT_TENANT, DEFAULT_DATABASE, PREFIX + tenant.value() + "-" + model);
        }
    },
    /** A Chroma database per tenant: a tenant's collections can be listed, backed up and dropped as one. */
    DATABASE {
        @Override
        ChromaAddress addressOf(TenantId tenant, String model) {
            return new ChromaAddress(DEFAULT_TENANT, PREFIX + tenant.value(), PREFIX + model);
        }
    },
    /**
     * A Chroma tenant per tenant (with one database in it): the boundary Chroma's own authorization can enforce.
     * Chroma cannot delete a tenant, so a deleted docqa tenant leaves an empty Chroma tenant behind.
     */
    TENANT {
        @Override
        ChromaAddress addressOf(TenantId tenant, String model) {
            return new ChromaAddress(PREFIX + tenant.value(), "docqa", PREFIX + model);
        }
    };

    static final String DEFAULT_TENANT = "default_tenant";
    static final String DEFAULT_DATABASE = "default_database";
    private static final String PREFIX = "docqa-";

    abstract ChromaAddress addressOf(TenantId tenant, String model);
}
