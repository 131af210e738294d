create table conversations (
    id         uuid primary key,
    tenant_id  uuid        not null references tenants (id) on delete cascade,
    -- the user or API key that owns the conversation
    owner_id   uuid        not null,
    title      text        not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create index conversations_owner_idx on conversations (tenant_id, owner_id, updated_at desc);

create table messages (
    id                uuid primary key,
    conversation_id   uuid        not null references conversations (id) on delete cascade,
    tenant_id         uuid        not null,
    role              text        not null check (role in ('user', 'assistant')),
    content           text        not null,
    sources           text,
    prompt_tokens     integer,
    completion_tokens integer,
    finish_reason     text check (finish_reason in ('stop', 'length', 'cancelled', 'error')),
    created_at        timestamptz not null default clock_timestamp()
);
create index messages_conversation_idx on messages (conversation_id, created_at);
