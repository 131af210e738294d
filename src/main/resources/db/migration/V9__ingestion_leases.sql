-- An ingesting document is owned by the instance doing the work, which renews the lease while the work makes progress
-- (bytes read, text parsed, chunks embedded). Only an expired lease may be taken over by another instance's sweep.
alter table documents add column owner_instance text;
alter table documents add column lease_expires_at timestamptz;
update documents set lease_expires_at = heartbeat_at + interval '10 minutes' where status = 'ingesting';
drop index documents_ingesting_idx;
alter table documents drop column heartbeat_at;
create index documents_lease_idx on documents (lease_expires_at) where status = 'ingesting';
