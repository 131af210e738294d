-- The index generation the whole deployment moves its tenants to: that of the instance started last. An instance
-- configured otherwise (one of the old version during a rollout) only searches each tenant's active generation and
-- never re-targets or drops anything, so that old and new instances do not undo each other's work.
create table desired_index_generation (
    id         boolean primary key default true check (id),
    generation text not null,
    set_at     timestamptz not null
);
