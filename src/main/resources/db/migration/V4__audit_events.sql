create table audit_events (
    seq         bigint not null primary key,
    event_id    uuid not null unique,
    occurred_at timestamp with time zone not null,
    recorded_at timestamp with time zone not null,
    actor       varchar(255) not null,
    source_ip   varchar(64),
    action      varchar(100) not null,
    target      varchar(500) not null,
    outcome     varchar(16) not null check (outcome in ('SUCCESS', 'FAILURE', 'DENIED')),
    details     varchar(20000) not null,
    prev_hash   varchar(64) not null,
    hash        varchar(64) not null
);
create index audit_events_occurred_at_idx on audit_events (occurred_at);
create index audit_events_action_idx on audit_events (action);
create index audit_events_actor_idx on audit_events (actor);

-- The chain head is locked (select ... for update) while an event is appended, so appends from
-- any number of threads or replicas form one chain.
create table audit_chain_head (
    id   int not null primary key check (id = 1),
    seq  bigint not null,
    hash varchar(64) not null
);
insert into audit_chain_head (id, seq, hash)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
