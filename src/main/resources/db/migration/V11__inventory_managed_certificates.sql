-- Certificates the inventory knows, with the metadata it is searched by; the PEM holds the leaf and its chain.
create table inv_certificates (
    id                 varchar(32) not null primary key,
    fingerprint_sha256 varchar(64) not null,
    serial             varchar(64) not null,
    subject            varchar(1000) not null,
    issuer             varchar(1000) not null,
    names              varchar(20000) not null,
    not_before         timestamp with time zone not null,
    not_after          timestamp with time zone not null,
    key_type           varchar(32) not null,
    chain_pem          varchar(65536) not null,
    source             varchar(32) not null,
    created_at         timestamp with time zone not null
);
create unique index inv_certificates_fingerprint_idx on inv_certificates (fingerprint_sha256);

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
