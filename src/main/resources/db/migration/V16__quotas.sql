-- Quotas: per-tenant limits set by the operator over the configured defaults (-1: unlimited).
create table quota_overrides (
    tenant_id   uuid        not null references tenants (id) on delete cascade,
    quota       text        not null,
    quota_limit bigint      not null check (quota_limit >= -1),
    updated_at  timestamptz not null default now(),
    primary key (tenant_id, quota)
);

-- Quotas counted per period (questions per day, completion tokens per month): taken by one conditional statement
-- each, so instances sharing the database never admit more than the limit together.
create table quota_counters (
    tenant_id    uuid        not null references tenants (id) on delete cascade,
    quota        text        not null,
    period_start timestamptz not null,
    used         bigint      not null check (used >= 0),
    primary key (tenant_id, quota, period_start)
);

-- Storage quotas count the ready documents and what ingesting ones have reserved so far (bytes as they stream in,
-- chunks before each batch is embedded).
alter table documents add column reserved_bytes bigint not null default 0,
                      add column reserved_chunks bigint not null default 0;
