package io.docqa.chat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import io.docqa.limits.UsageLedger;
import io.docqa.tenant.Caller;
import io.docqa.tenant.TenantId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Conversations and their messages. Scoped by tenant and by the caller who owns them. */
@Repository
class Conversations {

    private static final TypeReference<List<Source>> SOURCES = new TypeReference<>() {
    };

    private final DatabaseClient db;
    private final JsonMapper json;

    Conversations(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    Mono<Conversation> find(Caller caller, UUID id) {
        return db.sql("select id, title, created_at, updated_at, owner_id from conversations where tenant_id = :tenant and owner_id = :owner and id = :id")
                .bind("tenant", caller.tenantId().value())
                .bind("owner", caller.actorId())
                .bind("id", id)
                .map(Conversations::conversation)
                .one();
    }

    Flux<Conversation> page(Caller caller, int page, int size) {
        return db.sql("select id, title, created_at, updated_at, owner_id from conversations where tenant_id = :tenant and owner_id = :owner "
                        + "order by updated_at desc, id limit :limit offset :offset")
                .bind("tenant", caller.tenantId().value())
                .bind("owner", caller.actorId())
                .bind("limit", size)
                .bind("offset", (long) page * size)
                .map(Conversations::conversation)
                .all();
    }

    /** Any conversation of the tenant, whoever owns it (for admins). */
    Mono<Conversation> findInTenant(TenantId tenant, UUID id) {
        return db.sql("select id, title, created_at, updated_at, owner_id from conversations where tenant_id = :tenant and id = :id")
                .bind("tenant", tenant.value())
                .bind("id", id)
                .map(Conversations::conversation)
                .one();
    }

    /** Every conversation of the tenant, whoever owns it (for admins). */
    Flux<Conversation> pageAll(TenantId tenant, int page, int size) {
        return db.sql("select id, title, created_at, updated_at, owner_id from conversations where tenant_id = :tenant "
                        + "order by updated_at desc, id limit :limit offset :offset")
                .bind("tenant", tenant.value())
                .bind("limit", size)
                .bind("offset", (long) page * size)
                .map(Conversations::conversation)
                .all();
    }

    Mono<Long> countAll(TenantId tenant) {
        return db.sql("select count(*) as n from conversations where tenant_id = :tenant")
                .bind("tenant", tenant.value())
                .map(row -> row.get("n", Long.class))
                .one();
    }

    Mono<Long> count(Caller caller) {
        return db.sql("select count(*) as n from conversations where tenant_id = :tenant and owner_id = :owner")
                .bind("tenant", caller.tenantId().value())
                .bind("owner", caller.actorId())
                .map(row -> row.get("n", Long.class))
                .one();
    }

    Mono<Long> delete(Caller caller, UUID id) {
        return db.sql("delete from conversations where tenant_id = :tenant and owner_id = :owner and id = :id")
                .bind("tenant", caller.tenantId().value())
                .bind("owner", caller.actorId())
                .bind("id", id)
                .fetch()
                .rowsUpdated();
    }

    /**
     * Adds an answer to its conversation, as message {@code id}; {@code recording}, when not null, is the answer's usage,
     * written by the same statement (also when the conversation is gone meanwhile). Whether the message was added: not
     * when the tenant has no such conversation (any more).
     */
    Mono<Boolean> add(TenantId tenant, UUID conversationId, UUID id, NewMessage message, UsageLedger.Recording recording) {
        String sql = "with " + (recording == null ? "" : recording.clauses() + ", ") + """
                touched as (
                    update conversations set updated_at = now() where tenant_id = :tenant and id = :conversation returning id
                ), added as (
                    insert into messages (id, conversation_id, tenant_id, role, content, sources, prompt_tokens,
                                          completion_tokens, finish_reason)
                    select :id, id, :tenant, :role, :content, :sources, :prompt, :completion, :finish from touched
                    returning id
                )
                select exists (select 1 from added) as added
                """;
        DatabaseClient.GenericExecuteSpec statement = db.sql(sql)
                .bind("id", id)
                .bind("conversation", conversationId)
                .bind("tenant", tenant.value())
                .bind("role", message.role())
                .bind("content", message.content())
                .bind("sources", Parameter.fromOrEmpty(message.sources() == null ? null : json.writeValueAsString(message.sources()), String.class))
                .bind("prompt", Parameter.fromOrEmpty(message.promptTokens(), Integer.class))
                .bind("completion", Parameter.fromOrEmpty(message.completionTokens(), Integer.class))
                .bind("finish", Parameter.fromOrEmpty(message.finishReason(), String.class));
        return (recording == null ? statement : recording.bind(statement))
                .map(row -> row.get("added", Boolean.class))
                .one();
    }

    /**
     * Adds the caller's next question to its conversation; the tenant's stored settings, read by the same statement
     * (all null while the tenant has none).
     */
    Mono<SettingsChange> ask(TenantId tenant, UUID conversationId, String question) {
        return db.sql("""
                        with touched as (
                            update conversations set updated_at = now() where tenant_id = :tenant and id = :conversation
                            returning id
                        ), asked as (
                            insert into messages (id, conversation_id, tenant_id, role, content)
                            select :id, id, :tenant, 'user', :question from touched
                        )
                        select""" + TenantSettingsStore.COLUMNS + """
                        from (values (1)) as one left join tenant_settings s on s.tenant_id = :tenant
                        """)
                .bind("id", UUID.randomUUID())
                .bind("conversation", conversationId)
                .bind("tenant", tenant.value())
                .bind("question", question)
                .map(TenantSettingsStore::stored)
                .one();
    }

    Flux<Message> messages(TenantId tenant, UUID conversationId) {
        return db.sql("select id, role, content, sources, finish_reason, created_at from messages "
                        + "where tenant_id = :tenant and conversation_id = :conversation order by created_at, id")
                .bind("tenant", tenant.value())
                .bind("conversation", conversationId)
                .map(this::message)
                .all();
    }

    /**
     * Starts the caller's conversation with its first question, both rows in one statement (one round trip) that also
     * reads the tenant's stored settings.
     */
    Mono<Started> start(Caller caller, String title, String question) {
        return db.sql("""
                        with started as (
                            insert into conversations (id, tenant_id, owner_id, title) values (:id, :tenant, :owner, :title)
                            returning id, title, created_at, updated_at, owner_id
                        ), asked as (
                            insert into messages (id, conversation_id, tenant_id, role, content)
                            select :message, id, :tenant, 'user', :question from started
                        )
                        select c.id, c.title, c.created_at, c.updated_at, c.owner_id,""" + TenantSettingsStore.COLUMNS + """
                        from started c left join tenant_settings s on s.tenant_id = :tenant
                        """)
                .bind("id", UUID.randomUUID())
                .bind("tenant", caller.tenantId().value())
                .bind("owner", caller.actorId())
                .bind("title", title)
                .bind("message", UUID.randomUUID())
                .bind("question", question)
                .map(row -> new Started(conversation(row), TenantSettingsStore.stored(row)))
                .one();
    }

    /**
     * The caller's conversation with its newest {@code limit} messages, oldest first, in one statement; empty when the
     * caller has no such conversation.
     */
    Mono<Recent> recent(Caller caller, UUID id, int limit) {
        return db.sql("""
                        select c.id, c.title, c.created_at, c.updated_at, c.owner_id, m.id as message_id, m.role, m.content,
                               m.sources, m.finish_reason, m.created_at as message_created_at
                        from conversations c
                        left join lateral (
                            select id, role, content, sources, finish_reason, created_at from messages
                            where tenant_id = :tenant and conversation_id = c.id order by created_at desc, id desc limit :limit
                        ) m on true
                        where c.tenant_id = :tenant and c.owner_id = :owner and c.id = :id
                        order by m.created_at, m.id
                        """)
                .bind("tenant", caller.tenantId().value())
                .bind("owner", caller.actorId())
                .bind("id", id)
                .bind("limit", limit)
                .map(row -> new RecentRow(conversation(row),
                        row.get("message_id", UUID.class) == null ? null : message(row, "message_id", "message_created_at")))
                .all()
                .collectList()
                .filter(rows -> !rows.isEmpty())
                .map(rows -> new Recent(rows.get(0).conversation(),
                        rows.stream().map(RecentRow::message).filter(Objects::nonNull).toList()));
    }

    private static Conversation conversation(Readable row) {
        return new Conversation(row.get("id", UUID.class), row.get("title", String.class),
                row.get("created_at", OffsetDateTime.class).toInstant(), row.get("updated_at", OffsetDateTime.class).toInstant(),
                row.get("owner_id", UUID.class));
    }

    private Message message(Readable row) {
        return message(row, "id", "created_at");
    }

    private Message message(Readable row, String id, String createdAt) {
        String sources = row.get("sources", String.class);
        return new Message(row.get(id, UUID.class), row.get("role", String.class), row.get("content", String.class),
                sources == null ? List.of() : json.readValue(sources, SOURCES), row.get("finish_reason", String.class),
                row.get(createdAt, OffsetDateTime.class).toInstant());
    }

    /** A conversation and its newest messages, oldest first. */
    record Recent(Conversation conversation, List<Message> messages) {
    }

    /** A row of {@link #recent}: the conversation, and one of its messages or none. */
    private record RecentRow(Conversation conversation, Message message) {
    }

    /** A conversation just started, and the tenant's stored settings (all null while it has none). */
    record Started(Conversation conversation, SettingsChange settings) {
    }

    record NewMessage(String role, String content, List<Source> sources, Integer promptTokens, Integer completionTokens,
            String finishReason) {
    }
}
