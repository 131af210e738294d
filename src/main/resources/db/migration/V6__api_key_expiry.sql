-- An API key may expire; created_by is the user whose current role caps the key (for a key made by a key, that
-- key's maker).
alter table api_keys add column expires_at timestamptz;
create index api_keys_created_by_idx on api_keys (created_by);
