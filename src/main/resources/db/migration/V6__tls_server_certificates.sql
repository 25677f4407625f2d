create table tls_server_certificates (
    id             varchar(36) not null primary key,
    serial         varchar(64) not null,
    names          varchar(5000) not null,
    chain_pem      varchar(40000) not null,
    key_ciphertext varchar(20000) not null,
    not_before     timestamp with time zone not null,
    not_after      timestamp with time zone not null,
    created_at     timestamp with time zone not null
);
create index tls_server_certificates_created_at_idx on tls_server_certificates (created_at);
