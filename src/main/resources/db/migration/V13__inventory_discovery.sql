-- Discovery: what to scan and each scan's outcome. A target is either a list of host:port endpoints or a CIDR
-- with ports (never both); sni, when set, is sent to every endpoint of the target. next_run_at is the
-- compare-and-set field the poll claims a target by: set from interval_seconds for scheduled targets, and to
-- the request time by a manual run; null when nothing is due (manual-only target, nothing queued).
create table inv_scan_targets (
    id               varchar(32) not null primary key,
    name             varchar(200) not null,
    endpoints        varchar(20000) not null,
    cidr             varchar(64),
    ports            varchar(200) not null,
    sni              varchar(255),
    interval_seconds bigint,
    enabled          boolean not null,
    created_at       timestamp with time zone not null,
    updated_at       timestamp with time zone not null,
    next_run_at      timestamp with time zone,
    last_run_at      timestamp with time zone
);
create unique index inv_scan_targets_name_idx on inv_scan_targets (name);
create index inv_scan_targets_due_idx on inv_scan_targets (next_run_at);

-- One scan of a target: queued (by a manual run), running, then completed or failed. error is why a run
-- failed, or for a completed run the first endpoints that did not answer.
create table inv_scan_runs (
    id                 varchar(32) not null primary key,
    target_id          varchar(32) not null,
    state              varchar(16) not null,
    queued_at          timestamp with time zone not null,
    started_at         timestamp with time zone,
    finished_at        timestamp with time zone,
    endpoints_scanned  int not null,
    handshakes_ok      int not null,
    certificates_seen  int not null,
    certificates_added int not null,
    endpoints_stale    int not null,
    error              varchar(2000)
);
create index inv_scan_runs_target_idx on inv_scan_runs (target_id, queued_at);
create index inv_scan_runs_state_idx on inv_scan_runs (state, started_at);
