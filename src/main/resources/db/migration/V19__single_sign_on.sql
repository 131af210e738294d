-- Accounts made just in time by a single sign-on have no password: nothing they type on the login form matches.
alter table users alter column password_hash drop not null;

-- Which docqa user an identity provider's subject is: found by (provider, subject) on every later sign-in.
create table sso_identities (
    provider   text        not null,
    subject    text        not null,
    tenant_id  uuid        not null references tenants (id) on delete cascade,
    user_id    uuid        not null references users (id) on delete cascade,
    created_at timestamptz not null default now(),
    primary key (provider, subject)
);
create index sso_identities_user_idx on sso_identities (user_id);

-- Authorization requests between the redirect to the provider and its answer (on whichever instance it lands), bound
-- to the browser that started them by the hash of a cookie; spent (deleted) when the answer comes.
create table sso_authorization_requests (
    browser_hash bytea       not null,
    state        text        not null,
    request      text        not null,
    expires_at   timestamptz not null,
    primary key (browser_hash, state)
);
create index sso_authorization_requests_expiry_idx on sso_authorization_requests (expires_at);

-- One-time codes that the page exchanges for docqa's tokens after a sign-on; stored as SHA-256 hashes.
create table sso_login_codes (
    code_hash  bytea primary key,
    tenant_id  uuid        not null references tenants (id) on delete cascade,
    user_id    uuid        not null references users (id) on delete cascade,
    expires_at timestamptz not null
);
