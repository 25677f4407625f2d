-- Certificate tokens: EAB credentials (RFC 8555 7.3.4) scoped to one managed certificate. The HMAC key is
-- sealed with the master key; key_id is what clients send as the EAB "kid".
create table delivery_tokens (
    id                     varchar(32) not null primary key,
    key_id                 varchar(64) not null,
    token_type             varchar(16) not null check (token_type in ('CERTIFICATE')),
    managed_certificate_id varchar(32) not null,
    name                   varchar(200) not null,
    hmac_key               varchar(1000) not null,
    max_accounts           int,
    created_by             varchar(100) not null,
    created_at             timestamp with time zone not null,
    expires_at             timestamp with time zone,
    rotated_at             timestamp with time zone,
    revoked_at             timestamp with time zone,
    revoked_by             varchar(100),
    expiry_recorded_at     timestamp with time zone
);
create unique index delivery_tokens_key_idx on delivery_tokens (key_id);
create index delivery_tokens_managed_idx on delivery_tokens (managed_certificate_id);
create index delivery_tokens_expiry_idx on delivery_tokens (expires_at, expiry_recorded_at);

-- Which ACME account was bound to which token, once, at registration. unbound_at is set when a rotation
-- asked for bound accounts to be cut off.
create table delivery_bindings (
    account_id  varchar(32) not null primary key,
    token_id    varchar(32) not null,
    profile     varchar(64) not null,
    bound_at    timestamp with time zone not null,
    client_ip   varchar(64) not null,
    user_agent  varchar(500),
    unbound_at  timestamp with time zone
);
create index delivery_bindings_token_idx on delivery_bindings (token_id);

-- Evidence: which token and account fetched which version of a managed certificate, when and from where.
create table delivery_deliveries (
    id                     varchar(32) not null primary key,
    managed_certificate_id varchar(32) not null,
    token_id               varchar(32) not null,
    account_id             varchar(32) not null,
    version                int,
    fingerprint_sha256     varchar(64) not null,
    client_ip              varchar(64) not null,
    user_agent             varchar(500),
    delivered_at           timestamp with time zone not null
);
create index delivery_deliveries_managed_idx on delivery_deliveries (managed_certificate_id, delivered_at);
