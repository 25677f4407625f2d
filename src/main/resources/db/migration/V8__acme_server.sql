-- ACME server (RFC 8555). Profiles declared in configuration are synchronised here at start; profiles
-- created through the API live only here.
create table acme_profiles (
    name              varchar(64) not null primary key,
    auth_mode         varchar(32) not null,
    allowed_domains   varchar(20000) not null,
    allowed_ip_ranges varchar(20000) not null,
    validity_seconds  bigint not null,
    key_types         varchar(200) not null,
    description       varchar(500) not null,
    source            varchar(16) not null check (source in ('configuration', 'api')),
    created_at        timestamp with time zone not null,
    updated_at        timestamp with time zone not null
);

-- An account belongs to the profile whose directory created it; its key identifies it there (RFC 8555 7.3).
create table acme_accounts (
    id             varchar(32) not null primary key,
    profile        varchar(64) not null,
    status         varchar(16) not null check (status in ('valid', 'deactivated', 'revoked')),
    key_thumbprint varchar(64) not null,
    jwk            varchar(4000) not null,
    contact        varchar(4000) not null,
    tos_agreed     boolean not null,
    created_at     timestamp with time zone not null,
    created_ip     varchar(64),
    updated_at     timestamp with time zone not null
);
create unique index acme_accounts_key_idx on acme_accounts (profile, key_thumbprint);

-- progress is how far finalization got (none, processing, issued, failed); the order status itself is
-- derived from it, the expiry and the authorizations (RFC 8555 7.1.6).
create table acme_orders (
    id             varchar(32) not null primary key,
    account_id     varchar(32) not null,
    profile        varchar(64) not null,
    progress       varchar(16) not null check (progress in ('none', 'processing', 'issued', 'failed')),
    identifiers    varchar(20000) not null,
    not_before     timestamp with time zone,
    not_after      timestamp with time zone,
    expires        timestamp with time zone not null,
    replaces       varchar(200),
    csr_sha256     varchar(64),
    error          varchar(4000),
    certificate_id varchar(32),
    created_at     timestamp with time zone not null,
    finalized_at   timestamp with time zone
);
create index acme_orders_account_idx on acme_orders (account_id, created_at, id);
create index acme_orders_replaces_idx on acme_orders (replaces);
create index acme_orders_progress_idx on acme_orders (progress, finalized_at);

create table acme_authorizations (
    id               varchar(32) not null primary key,
    order_id         varchar(32) not null,
    account_id       varchar(32) not null,
    identifier_type  varchar(8) not null,
    identifier_value varchar(255) not null,
    wildcard         boolean not null,
    status           varchar(16) not null,
    expires          timestamp with time zone not null,
    updated_at       timestamp with time zone not null
);
create index acme_authorizations_order_idx on acme_authorizations (order_id);

-- Certificates issued through ACME, with the metadata clients and operators search by.
create table acme_certificates (
    id                 varchar(32) not null primary key,
    order_id           varchar(32) not null,
    account_id         varchar(32) not null,
    profile            varchar(64) not null,
    issuer             varchar(32) not null,
    serial             varchar(64) not null,
    authority_key_id   varchar(128) not null,
    fingerprint_sha256 varchar(64) not null,
    subject            varchar(1000) not null,
    names              varchar(20000) not null,
    key_type           varchar(16) not null,
    not_before         timestamp with time zone not null,
    not_after          timestamp with time zone not null,
    chain_pem          varchar(65536) not null,
    root_pem           varchar(20000) not null,
    status             varchar(16) not null check (status in ('valid', 'revoked')),
    revoked_at         timestamp with time zone,
    revocation_reason  int,
    created_at         timestamp with time zone not null
);
create unique index acme_certificates_serial_idx on acme_certificates (serial);

-- Nonces are authenticated tokens that need no row until they are spent; a spent nonce is remembered
-- until it would have expired anyway, so each one is accepted once, by any replica, across restarts.
create table acme_spent_nonces (
    nonce      varchar(64) not null primary key,
    expires_at timestamp with time zone not null
);
create index acme_spent_nonces_expiry_idx on acme_spent_nonces (expires_at);
