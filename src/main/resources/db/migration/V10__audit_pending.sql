-- Audit records are written here in the transaction that made the change (one insert), then linked into
-- the hash chain in batches by whichever replica holds the chain head lock. A record a crash left here is
-- chained by the next run, so nothing committed is lost.
create table audit_pending (
    event_id    uuid not null primary key,
    occurred_at timestamp with time zone not null,
    actor       varchar(255) not null,
    source_ip   varchar(64),
    action      varchar(100) not null,
    target      varchar(500) not null,
    outcome     varchar(16) not null,
    details     varchar(20000) not null
);
create index audit_pending_order_idx on audit_pending (occurred_at, event_id);
