-- Notification channels: where alerts are sent when they open, escalate and resolve. The destination URL of
-- webhook and Slack channels, the webhook signing secret and the SMTP password are sealed with the master key
-- (secrets_sealed, a JSON object under the purpose alerts.notification-channel:<id>); endpoint keeps only the
-- URL's scheme, host and port for display. settings holds the e-mail fields of email channels as JSON.
create table alert_notification_channels (
    id             varchar(32) not null primary key,
    name           varchar(100) not null,
    name_key       varchar(100) not null unique,
    type           varchar(16) not null check (type in ('webhook', 'slack', 'email')),
    enabled        boolean not null,
    min_severity   varchar(16) not null check (min_severity in ('info', 'warning', 'high', 'critical')),
    kinds          varchar(2000) not null,
    endpoint       varchar(300),
    settings       varchar(8000) not null,
    secrets_sealed varchar(8000) not null,
    created_at     timestamp with time zone not null,
    updated_at     timestamp with time zone not null
);

-- The outbox and history of notifications: one row per alert event and matching channel, written in the
-- transaction that opened, escalated or resolved the alert. A sender claims a due row by compare-and-set on
-- next_attempt_at (claim_token names the claimant) and records the outcome; alert holds the alert as it was
-- at the event, as JSON.
create table alert_notifications (
    id              varchar(32) not null primary key,
    channel_id      varchar(32) not null references alert_notification_channels (id) on delete cascade,
    alert_id        varchar(32) not null,
    event           varchar(16) not null check (event in ('opened', 'updated', 'resolved')),
    alert           varchar(20000) not null,
    state           varchar(16) not null check (state in ('pending', 'sent', 'failed')),
    attempts        integer not null,
    next_attempt_at timestamp with time zone not null,
    claim_token     varchar(32),
    last_error      varchar(1000),
    created_at      timestamp with time zone not null,
    finished_at     timestamp with time zone
);
create index alert_notifications_due_idx on alert_notifications (state, next_attempt_at);
create index alert_notifications_channel_idx on alert_notifications (channel_id, created_at, id);
