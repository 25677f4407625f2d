-- Alerts raised by features (certificate expiry now; renewals and probes later). An alert is open while its
-- condition holds and resolved once it ends; resolved alerts stay as history.
create table alert_alerts (
    id          varchar(32) not null primary key,
    dedup_key   varchar(200) not null,
    kind        varchar(64) not null,
    severity    varchar(16) not null check (severity in ('info', 'warning', 'high', 'critical')),
    target      varchar(200) not null,
    title       varchar(500) not null,
    message     varchar(4000) not null,
    details     varchar(4000) not null,
    state       varchar(16) not null check (state in ('open', 'resolved')),
    opened_at   timestamp with time zone not null,
    updated_at  timestamp with time zone not null,
    resolved_at timestamp with time zone,
    resolution  varchar(500)
);
create index alert_alerts_state_idx on alert_alerts (state, opened_at, id);
create index alert_alerts_kind_idx on alert_alerts (kind, state, opened_at, id);
create index alert_alerts_key_idx on alert_alerts (dedup_key);

-- At most one open alert per deduplication key: the key is the primary key here, the row is inserted with the
-- alert and deleted when it is resolved. (A partial unique index on alert_alerts would say the same, but H2 has
-- none.)
create table alert_open_keys (
    dedup_key varchar(200) not null primary key,
    alert_id  varchar(32) not null
);
