-- DNS providers our ACME client publishes dns-01 records through; secrets sealed with the master key.
create table acme_client_dns_providers (
    id                 varchar(32) not null primary key,
    name               varchar(100) not null,
    name_key           varchar(100) not null,
    type               varchar(16) not null check (type in ('rfc2136')),
    server             varchar(300) not null,
    tsig_key_name      varchar(255) not null,
    tsig_algorithm     varchar(32) not null,
    tsig_secret_sealed varchar(2000) not null,
    created_at         timestamp with time zone not null
);
create unique index acme_client_dns_providers_name_idx on acme_client_dns_providers (name_key);

-- HTTP-01 answers the built-in responder serves, on any replica.
create table acme_client_http_tokens (
    token             varchar(128) not null primary key,
    key_authorization varchar(512) not null,
    workflow_id       varchar(32) not null,
    created_at        timestamp with time zone not null
);

-- An order at an external CA, run as a persisted state machine: every step is stored before the next begins,
-- so any replica resumes it after a restart. lease_until marks the replica working on it.
create table acme_client_workflows (
    id                     varchar(32) not null primary key,
    issuer_id              varchar(32) not null,
    managed_certificate_id varchar(32) not null,
    identifiers            varchar(20000) not null,
    dns_provider_id        varchar(32),
    state                  varchar(24) not null,
    status                 varchar(16) not null check (status in ('running', 'succeeded', 'failed')),
    order_url              varchar(2000),
    certificate_key_sealed varchar(8000),
    published              varchar(20000) not null,
    attempts               int not null,
    next_run_at            timestamp with time zone not null,
    lease_until            timestamp with time zone,
    last_error             varchar(4000),
    version                int,
    created_at             timestamp with time zone not null,
    updated_at             timestamp with time zone not null
);
create index acme_client_workflows_due_idx on acme_client_workflows (status, next_run_at);
create index acme_client_workflows_certificate_idx on acme_client_workflows (managed_certificate_id, created_at);

create table acme_client_workflow_steps (
    workflow_id varchar(32) not null,
    seq         int not null,
    at          timestamp with time zone not null,
    step        varchar(40) not null,
    outcome     varchar(16) not null,
    detail      varchar(4000) not null,
    primary key (workflow_id, seq)
);
