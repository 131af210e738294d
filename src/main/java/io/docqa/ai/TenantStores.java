package io.docqa.ai;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.langchain4j.store.embedding.chroma.ChromaApiVersion;
import dev.langchain4j.store.embedding.chroma.ChromaEmbeddingStore;
import io.docqa.tenant.TenantId;

/**
 * LangChain4j Chroma stores, one per tenant collection, built on first use. Building one makes 3-4 blocking calls
 * (and creates the collection when missing), so callers run this on the {@code chroma} scheduler. The stores share
 * one HTTP client ({@link SharedHttpClientBuilderFactory}), so each costs a few small objects: the bound is there for
 * services with very many tenants, and an evicted store is simply built again.
 */
final class TenantStores {

    static final int MAX_STORES = 10_000;

    private final ChromaProperties properties;
    private final String modelName;
    private final Map<TenantId, ChromaEmbeddingStore> stores = new ConcurrentHashMap<>();

    TenantStores(ChromaProperties properties, String modelName) {
        this.properties = properties;
        this.modelName = modelName;
    }

    /** The collection of a tenant on the server: {@code docqa-<tenant uuid>-<embedding model>}. */
    String collectionName(TenantId tenant) {
        return "docqa-" + tenant.value() + "-" + modelName;
    }

    ChromaEmbeddingStore get(TenantId tenant) {
        ChromaEmbeddingStore store = stores.get(tenant);
        if (store != null) {
            return store;
        }
        if (stores.size() >= MAX_STORES) {
            Iterator<TenantId> any = stores.keySet().iterator();
            if (any.hasNext()) {
                stores.remove(any.next());
            }
        }
        return stores.computeIfAbsent(tenant, this::build);
    }

    void evict(TenantId tenant) {
        stores.remove(tenant);
    }

    int size() {
        return stores.size();
    }

    private ChromaEmbeddingStore build(TenantId tenant) {
        return ChromaEmbeddingStore.builder()
                .apiVersion(ChromaApiVersion.V2)
                .baseUrl(properties.baseUrl())
                .tenantName("default_tenant")
                .databaseName("default_database")
                .collectionName(collectionName(tenant))
                .timeout(properties.timeout())
                .build();
    }
}
