-- What each tenant used: one row per answer and per indexed document, read back by GET /api/v1/usage.
create table usage_records (
    id                bigserial primary key,
    tenant_id         uuid        not null references tenants (id) on delete cascade,
    kind              text        not null check (kind in ('answer', 'ingestion')),
    -- who: a user or an API key (one of them)
    user_id           uuid,
    api_key_id        uuid,
    at                timestamptz not null default now(),
    -- an answer: the model, Ollama's token counts, how long it took, how it ended (finish reason or error code)
    model             text,
    prompt_tokens     integer     not null default 0,
    completion_tokens integer     not null default 0,
    duration_ms       bigint      not null default 0,
    outcome           text,
    -- an ingestion: the document, its bytes and chunks, and the time spent embedding them
    document_id       uuid,
    bytes             bigint      not null default 0,
    chunks            integer     not null default 0,
    embed_ms          bigint      not null default 0
);
create index usage_records_tenant_at_idx on usage_records (tenant_id, at);
