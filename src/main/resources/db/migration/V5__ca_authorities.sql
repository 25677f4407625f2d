create table ca_authorities (
    id              varchar(36) not null primary key,
    role            varchar(16) not null check (role in ('root', 'issuing')),
    subject         varchar(1000) not null,
    certificate_pem varchar(20000) not null,
    key_ciphertext  varchar(20000),
    key_type        varchar(16) not null,
    source          varchar(16) not null check (source in ('generated', 'imported')),
    not_before      timestamp with time zone not null,
    not_after       timestamp with time zone not null,
    created_at      timestamp with time zone not null
);

-- One row: which root and issuing CA are active. Its primary key makes a concurrent first start on
-- two replicas create exactly one CA; the loser reloads the winner's.
create table ca_active (
    id         int not null primary key check (id = 1),
    root_id    varchar(36) not null,
    issuing_id varchar(36) not null,
    updated_at timestamp with time zone not null
);

-- Every certificate the CA signs is recorded here as an intent (serial, subject, names, validity)
-- before the signature exists, then completed with the certificate.
create table ca_issued_certificates (
    serial             varchar(64) not null primary key,
    authority_id       varchar(36) not null,
    status             varchar(16) not null check (status in ('intent', 'issued', 'abandoned')),
    profile            varchar(100) not null,
    subject            varchar(1000) not null,
    names              varchar(20000) not null,
    not_before         timestamp with time zone not null,
    not_after          timestamp with time zone not null,
    certificate_pem    varchar(20000),
    fingerprint_sha256 varchar(64),
    created_at         timestamp with time zone not null,
    issued_at          timestamp with time zone
);
create index ca_issued_certificates_status_idx on ca_issued_certificates (status, created_at);
