-- Failed logins are counted in Redis now (token buckets shared by every instance, per account and client):
-- the table of the former per-email lockout is no longer read or written.
drop table if exists login_failures;
