create table documents (
    id           uuid primary key,
    tenant_id    uuid        not null references tenants (id) on delete cascade,
    filename     text        not null,
    content_type text        not null,
    size_bytes   bigint      not null default 0,
    sha256       text,
    status       text        not null check (status in ('ingesting', 'ready', 'failed')),
    chunk_count  integer     not null default 0,
    error        text,
    -- vectors of a failed document still to be removed (Chroma was unreachable when it failed)
    vectors_pending_removal boolean not null default false,
    created_at   timestamptz not null default now(),
    heartbeat_at timestamptz not null default now()
);
create index documents_tenant_created_idx on documents (tenant_id, created_at desc, id);
create unique index documents_tenant_sha256_key on documents (tenant_id, sha256) where status = 'ready';
create index documents_ingesting_idx on documents (heartbeat_at) where status = 'ingesting';
create index documents_pending_removal_idx on documents (id) where vectors_pending_removal;

create table document_chunks (
    document_id uuid    not null references documents (id) on delete cascade,
    tenant_id   uuid    not null,
    chunk_index integer not null,
    text        text    not null,
    primary key (document_id, chunk_index)
);
