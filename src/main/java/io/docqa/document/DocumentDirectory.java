package io.docqa.document;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/** What other features may know of a tenant's documents: which ready ones exist, and their names. */
@Component
public class DocumentDirectory {

    private final DatabaseClient db;

    DocumentDirectory(DatabaseClient db) {
        this.db = db;
    }

    /** The names of those of {@code ids} that are ready documents of the tenant. */
    public Mono<Map<UUID, String>> readyNames(TenantId tenant, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql("select id, filename from documents where tenant_id = :tenant and status = 'ready' and id = any(:ids)")
                .bind("tenant", tenant.value())
                .bind("ids", ids.toArray(UUID[]::new))
                .map(row -> Map.entry(row.get("id", UUID.class), row.get("filename", String.class)))
                .all()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
