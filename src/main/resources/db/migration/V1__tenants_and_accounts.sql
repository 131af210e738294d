create table tenants (
    id         uuid primary key,
    name       text        not null,
    created_at timestamptz not null default now()
);

create table users (
    id            uuid primary key,
    tenant_id     uuid        not null references tenants (id) on delete cascade,
    email         text        not null,
    password_hash text        not null,
    role          text        not null check (role in ('owner', 'admin', 'member', 'viewer')),
    disabled      boolean     not null default false,
    created_at    timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));
create index users_tenant_idx on users (tenant_id);

create table refresh_tokens (
    id         uuid primary key,
    tenant_id  uuid        not null references tenants (id) on delete cascade,
    user_id    uuid        not null references users (id) on delete cascade,
    family_id  uuid        not null,
    token_hash bytea       not null unique,
    expires_at timestamptz not null,
    used_at    timestamptz,
    revoked_at timestamptz,
    created_at timestamptz not null default now()
);
create index refresh_tokens_family_idx on refresh_tokens (family_id);
create index refresh_tokens_user_idx on refresh_tokens (user_id);

create table api_keys (
    id           uuid primary key,
    tenant_id    uuid        not null references tenants (id) on delete cascade,
    name         text        not null,
    role         text        not null check (role in ('admin', 'member', 'viewer')),
    prefix       text        not null,
    key_hash     bytea       not null unique,
    created_by   uuid,
    created_at   timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index api_keys_tenant_idx on api_keys (tenant_id);

create table signing_keys (
    kid         text primary key,
    algorithm   text        not null,
    private_jwk text        not null,
    created_at  timestamptz not null default now()
);

-- Failed logins per normalised email, known or not, so throttling cannot tell whether an account exists.
create table login_failures (
    email_key     text primary key,
    failures      integer     not null,
    last_failed_at timestamptz not null,
    locked_until  timestamptz
);

create table audit_events (
    id         bigserial primary key,
    tenant_id  uuid references tenants (id) on delete cascade,
    actor_id   uuid,
    type       text        not null,
    subject_id uuid,
    detail     text,
    created_at timestamptz not null default now()
);
create index audit_events_tenant_idx on audit_events (tenant_id, created_at);
