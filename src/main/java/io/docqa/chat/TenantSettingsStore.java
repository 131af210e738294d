package io.docqa.chat;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Mono;

/**
 * A tenant's stored settings; a null field is the service's default. Answers read them with their question's record
 * ({@link Conversations}), so every instance's next answer uses a change.
 */
@Repository
class TenantSettingsStore {

    /** The stored settings of {@code tenant_settings s}, for a statement that reads them with other rows. */
    static final String COLUMNS = " s.model, s.temperature, s.instructions, s.default_top_k\n";

    private final DatabaseClient db;

    TenantSettingsStore(DatabaseClient db) {
        this.db = db;
    }

    /** Empty while the tenant has never changed its settings. */
    Mono<SettingsChange> find(TenantId tenant) {
        return db.sql("select model, temperature, instructions, default_top_k from tenant_settings where tenant_id = :tenant")
                .bind("tenant", tenant.value())
                .map(TenantSettingsStore::stored)
                .one();
    }

    /** Applies a change in one statement, so two admins changing different fields at once both count. */
    Mono<SettingsChange> apply(TenantId tenant, SettingsChange change) {
        boolean clearInstructions = change.instructions() != null && change.instructions().isBlank();
        return db.sql("""
                        insert into tenant_settings (tenant_id, model, temperature, instructions, default_top_k)
                        values (:tenant, :model, :temperature, :instructions, :top_k)
                        on conflict (tenant_id) do update set
                            model = coalesce(excluded.model, tenant_settings.model),
                            temperature = coalesce(excluded.temperature, tenant_settings.temperature),
                            instructions = case when :clear then null
                                                else coalesce(excluded.instructions, tenant_settings.instructions) end,
                            default_top_k = coalesce(excluded.default_top_k, tenant_settings.default_top_k),
                            updated_at = now()
                        returning model, temperature, instructions, default_top_k
                        """)
                .bind("tenant", tenant.value())
                .bind("model", Parameter.fromOrEmpty(change.model(), String.class))
                .bind("temperature", Parameter.fromOrEmpty(change.temperature(), Double.class))
                .bind("instructions", Parameter.fromOrEmpty(clearInstructions ? null : change.instructions(), String.class))
                .bind("top_k", Parameter.fromOrEmpty(change.defaultTopK(), Integer.class))
                .bind("clear", clearInstructions)
                .map(TenantSettingsStore::stored)
                .one();
    }

    static SettingsChange stored(Readable row) {
        return new SettingsChange(row.get("model", String.class), row.get("temperature", Double.class),
                row.get("instructions", String.class), row.get("default_top_k", Integer.class));
    }
}
