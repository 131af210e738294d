-- The audit trail, readable: who (type, id, email at the time), did what, to what, from where, in which request.
alter table audit_events rename column type to action;
alter table audit_events rename column subject_id to target_id;
alter table audit_events alter column actor_id type text using actor_id::text;
alter table audit_events alter column target_id type text using target_id::text;
alter table audit_events
    add column actor_type  text not null default 'anonymous',
    add column actor_email text,
    add column target_type text,
    add column client_ip   text,
    add column request_id  text,
    add column details     jsonb not null default '{}'::jsonb;
update audit_events set actor_type = 'user' where actor_id is not null;
update audit_events set target_type = case when action like 'api_key%' then 'api_key' else 'user' end
    where target_id is not null;
update audit_events set details = jsonb_build_object('note', detail) where detail is not null;
alter table audit_events drop column detail;

-- newest first, keyset-paged per tenant
drop index audit_events_tenant_idx;
create index audit_events_tenant_idx on audit_events (tenant_id, created_at desc, id desc);
-- the retention purge
create index audit_events_created_idx on audit_events (created_at);

-- Entries are never changed: only inserted, and deleted by the retention purge or with their tenant.
create function audit_events_refuse_update() returns trigger language plpgsql as $$
begin
    raise exception 'audit_events are append-only';
end $$;
create trigger audit_events_append_only before update on audit_events
    for each row execute function audit_events_refuse_update();

-- What a tenant's answers use; a null column is the service's default.
create table tenant_settings (
    tenant_id     uuid primary key references tenants (id) on delete cascade,
    model         text,
    temperature   double precision,
    instructions  text,
    default_top_k integer,
    updated_at    timestamptz not null default now()
);
