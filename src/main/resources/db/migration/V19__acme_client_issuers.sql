-- ACME issuers: external CAs Certplane orders from. The account key and the EAB MAC key are sealed with the
-- master key (secrets module); account_url is set once the CA has registered the account.
create table acme_client_issuers (
    id                varchar(32) not null primary key,
    name              varchar(100) not null,
    name_key          varchar(100) not null,
    preset            varchar(32) not null,
    directory_url     varchar(2000) not null,
    contact           varchar(320),
    eab_kid           varchar(500),
    eab_hmac_sealed   varchar(2000),
    preferred_chain   varchar(500),
    acme_profile      varchar(100),
    trust_bundle_pem  varchar(65536),
    account_key_sealed varchar(8000) not null,
    account_public_key varchar(2000) not null,
    account_url       varchar(2000),
    status            varchar(16) not null check (status in ('registering', 'registered', 'failed')),
    last_error        varchar(4000),
    created_at        timestamp with time zone not null,
    updated_at        timestamp with time zone not null
);
create unique index acme_client_issuers_name_idx on acme_client_issuers (name_key);
