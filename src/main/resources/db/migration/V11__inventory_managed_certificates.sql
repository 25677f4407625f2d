-- Every certificate the inventory knows, one row per SHA-256 fingerprint, with the metadata it is searched,
-- filtered and rated by. pem is the certificate alone; chains are the issuer_certificate_id links.
-- status and rating depend on the time and on which issuers are present; the expiry loop refreshes them.
create table inv_certificates (
    id                    varchar(32) not null primary key,
    fingerprint_sha256    varchar(64) not null,
    fingerprint_sha1      varchar(40) not null,
    serial                varchar(128) not null,
    subject               varchar(2000) not null,
    subject_cn            varchar(500) not null,
    issuer                varchar(2000) not null,
    issuer_cn             varchar(500) not null,
    names                 varchar(20000) not null,
    emails                varchar(4000) not null,
    uris                  varchar(4000) not null,
    not_before            timestamp with time zone not null,
    not_after             timestamp with time zone not null,
    key_algorithm         varchar(32) not null,
    key_bits              int not null,
    key_curve             varchar(32),
    signature_algorithm   varchar(64) not null,
    is_ca                 boolean not null,
    path_length           int not null,
    key_usage             varchar(500) not null,
    extended_key_usage    varchar(1000) not null,
    ca_issuer_urls        varchar(4000) not null,
    ocsp_urls             varchar(4000) not null,
    crl_urls              varchar(4000) not null,
    sct_count             int not null,
    subject_key_id        varchar(128),
    authority_key_id      varchar(128),
    self_issued           boolean not null,
    issuer_certificate_id varchar(32),
    has_private_key       boolean not null,
    source                varchar(32) not null,
    owner                 varchar(200),
    organization          varchar(200),
    tags                  varchar(4000) not null,
    status                varchar(16) not null,
    revoked_at            timestamp with time zone,
    rating                varchar(1) not null,
    rating_reasons        varchar(2000) not null,
    stale                 boolean not null,
    pem                   varchar(20000) not null,
    created_at            timestamp with time zone not null,
    updated_at            timestamp with time zone not null
);
create unique index inv_certificates_fingerprint_idx on inv_certificates (fingerprint_sha256);
create index inv_certificates_not_after_idx on inv_certificates (not_after, id);
create index inv_certificates_status_idx on inv_certificates (status, not_after);
create index inv_certificates_organization_idx on inv_certificates (organization, not_after);
create index inv_certificates_issuer_idx on inv_certificates (issuer_cn);
create index inv_certificates_ski_idx on inv_certificates (subject_key_id);
create index inv_certificates_issuer_link_idx on inv_certificates (issuer_certificate_id);
create index inv_certificates_created_idx on inv_certificates (created_at, id);
create index inv_certificates_serial_idx on inv_certificates (serial);

-- Search terms, lower case: subject and issuer common names and organizations, each SAN and every parent
-- domain of it (so "example.com" finds www.shop.example.com), fingerprints and the serial. Searching is a
-- prefix match on term, which an index answers at any size.
create table inv_certificate_terms (
    term           varchar(255) not null,
    certificate_id varchar(32) not null,
    primary key (term, certificate_id)
);
create index inv_certificate_terms_certificate_idx on inv_certificate_terms (certificate_id);

-- Where a certificate came from; one row per source (an import, a discovery target, the ACME server...). A
-- certificate with no source left is stale.
create table inv_certificate_sources (
    certificate_id varchar(32) not null,
    source         varchar(120) not null,
    first_seen     timestamp with time zone not null,
    last_seen      timestamp with time zone not null,
    primary key (certificate_id, source)
);
create index inv_certificate_sources_source_idx on inv_certificate_sources (source);

-- Where a certificate was seen served: host, port and SNI, by which source; stale_since once a later look
-- at that endpoint found something else.
create table inv_endpoints (
    certificate_id varchar(32) not null,
    host           varchar(255) not null,
    port           int not null,
    sni            varchar(255) not null,
    source         varchar(120) not null,
    first_seen     timestamp with time zone not null,
    last_seen      timestamp with time zone not null,
    stale_since    timestamp with time zone,
    primary key (certificate_id, host, port, sni, source)
);
create index inv_endpoints_host_idx on inv_endpoints (host, port);

-- Private keys that came with a certificate (an import), sealed with the master key.
create table inv_private_keys (
    certificate_id varchar(32) not null primary key,
    sealed_key     varchar(20000) not null
);

-- A managed certificate is a name set under a profile; each issuance adds a version. latest_version is bumped
-- by an update that locks the row, so concurrent issuances get distinct numbers.
create table inv_managed_certificates (
    id              varchar(32) not null primary key,
    name            varchar(200) not null,
    name_key        varchar(200) not null,
    names           varchar(20000) not null,
    profile         varchar(64) not null,
    owner           varchar(200),
    organization    varchar(200),
    tags            varchar(4000) not null,
    current_version int,
    latest_version  int not null,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null
);
create unique index inv_managed_certificates_name_idx on inv_managed_certificates (name_key);
create index inv_managed_certificates_org_idx on inv_managed_certificates (organization);

create table inv_certificate_versions (
    managed_certificate_id varchar(32) not null,
    version                int not null,
    certificate_id         varchar(32) not null,
    source                 varchar(32) not null,
    reference              varchar(200) not null,
    created_at             timestamp with time zone not null,
    primary key (managed_certificate_id, version)
);
create index inv_certificate_versions_certificate_idx on inv_certificate_versions (certificate_id);
