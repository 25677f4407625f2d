create table security_users (
    id                   varchar(36) not null primary key,
    username             varchar(100) not null unique,
    password_hash        varchar(200) not null,
    permissions          varchar(1000) not null,
    must_change_password boolean not null,
    enabled              boolean not null,
    created_at           timestamp with time zone not null,
    password_changed_at  timestamp with time zone not null
);

-- Only a SHA-256 of each token is stored; the token itself is shown once at creation.
create table security_api_tokens (
    id           varchar(36) not null primary key,
    user_id      varchar(36) not null,
    name         varchar(100) not null,
    token_hash   varchar(64) not null unique,
    prefix       varchar(16) not null,
    permissions  varchar(1000) not null,
    created_at   timestamp with time zone not null,
    expires_at   timestamp with time zone,
    last_used_at timestamp with time zone,
    revoked_at   timestamp with time zone
);
create index security_api_tokens_user_idx on security_api_tokens (user_id);

-- Failed logins per user name, shared by all replicas.
create table security_login_failures (
    username          varchar(100) not null primary key,
    failures          int not null,
    window_started_at timestamp with time zone not null,
    locked_until      timestamp with time zone
);
