-- Challenge validation (RFC 8555 8, RFC 8737, RFC 8738) for profiles in challenge mode, and CAA per profile.
alter table acme_profiles add column caa_enabled boolean not null default false;
alter table acme_profiles add column caa_identities varchar(2000) not null default '';

-- The challenge a client chose for the authorization; set once, so only one challenge of it is ever checked.
alter table acme_authorizations add column challenge_id varchar(32);

-- A challenge in processing is a unit of work: the replica that sets lease_until runs it; a lease that runs
-- out (the replica died) lets any replica take it again, at most a few times.
create table acme_challenges (
    id               varchar(32) not null primary key,
    authorization_id varchar(32) not null,
    type             varchar(16) not null check (type in ('http-01', 'dns-01', 'tls-alpn-01')),
    token            varchar(64) not null,
    status           varchar(16) not null check (status in ('pending', 'processing', 'valid', 'invalid')),
    error            varchar(8000),
    validated_at     timestamp with time zone,
    triggered_at     timestamp with time zone,
    lease_until      timestamp with time zone,
    attempts         int not null default 0,
    updated_at       timestamp with time zone not null
);
create index acme_challenges_authorization_idx on acme_challenges (authorization_id);
create index acme_challenges_status_idx on acme_challenges (status, lease_until);
