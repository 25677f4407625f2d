-- DNS providers of three types: rfc2136 (server and TSIG key), cloudflare (API token, optional zone id) and exec
-- (a program on the server). The type check of V20 is an unnamed column constraint whose name differs between
-- H2 and PostgreSQL, so the table is rebuilt rather than altered; its rows are kept.
create table acme_client_dns_providers_v21 (
    id                 varchar(32) not null primary key,
    name               varchar(100) not null,
    name_key           varchar(100) not null,
    type               varchar(16) not null check (type in ('rfc2136', 'cloudflare', 'exec')),
    server             varchar(300),
    tsig_key_name      varchar(255),
    tsig_algorithm     varchar(32),
    tsig_secret_sealed varchar(2000),
    api_token_sealed   varchar(2000),
    zone_id            varchar(64),
    program            varchar(1000),
    created_at         timestamp with time zone not null,
    check (type <> 'rfc2136' or (server is not null and tsig_key_name is not null and tsig_algorithm is not null
        and tsig_secret_sealed is not null)),
    check (type <> 'cloudflare' or api_token_sealed is not null),
    check (type <> 'exec' or program is not null)
);
insert into acme_client_dns_providers_v21 (id, name, name_key, type, server, tsig_key_name, tsig_algorithm,
    tsig_secret_sealed, created_at)
select id, name, name_key, type, server, tsig_key_name, tsig_algorithm, tsig_secret_sealed, created_at
from acme_client_dns_providers;
drop table acme_client_dns_providers;
alter table acme_client_dns_providers_v21 rename to acme_client_dns_providers;
create unique index acme_client_dns_providers_name_idx on acme_client_dns_providers (name_key);
