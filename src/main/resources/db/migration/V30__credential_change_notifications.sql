-- Instances cache who a bearer token stands for (auth.CallerCache). Any change that can take a caller's access away
-- or lower it — a user disabled, deleted or given another role, an API key revoked, its role or expiry changed, a
-- tenant deleted (its users and keys go with it) — is announced on the channel docqa_credentials when it commits, and
-- every instance listening empties its cache. Writes that change nothing of that (last_used_at) announce nothing.
create function docqa_credentials_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('docqa_credentials', tg_table_name);
    return null;
end;
$$;

create trigger users_credentials_changed after delete or update of role, disabled, tenant_id on users
    for each row execute function docqa_credentials_changed();
create trigger api_keys_credentials_changed after delete or update of revoked_at, expires_at, role, tenant_id, created_by on api_keys
    for each row execute function docqa_credentials_changed();
create trigger tenants_credentials_changed after delete on tenants
    for each row execute function docqa_credentials_changed();
