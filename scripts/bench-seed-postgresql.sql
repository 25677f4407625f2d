-- Seeds a benchmark database with :orders completed ACME orders as the server would have stored them (an
-- account per 100 orders, one authorization, certificate, CA record and five audit events per order) and
-- an hour's worth of spent nonces, so the benchmark can show whether throughput holds as data accumulates
-- without first spending half an hour placing those orders. Throw-away databases only: the audit rows do
-- not form a verifiable chain.
\set ON_ERROR_STOP on
begin;
insert into acme_accounts (id, profile, status, key_thumbprint, jwk, contact, tos_agreed, created_at, created_ip, updated_at)
select 'seed-acct-' || n, 'default', 'valid', md5('acct' || n), '{"kty":"EC"}', '', true, now(), '127.0.0.1', now()
from generate_series(1, greatest(:orders / 100, 1)) n;

insert into acme_orders (id, account_id, profile, progress, identifiers, expires, csr_sha256, certificate_id,
                         created_at, finalized_at)
select 'seed-order-' || n, 'seed-acct-' || (n % greatest(:orders / 100, 1) + 1), 'default', 'issued',
       '[{"type":"dns","value":"o' || n || '.seed.bench.internal"}]', now() + interval '7 days',
       md5('csr' || n) || md5('csr2' || n), 'seed-cert-' || n, now() - (n || ' seconds')::interval, now()
from generate_series(1, :orders) n;

insert into acme_authorizations (id, order_id, account_id, identifier_type, identifier_value, wildcard, status,
                                 expires, updated_at)
select 'seed-authz-' || n, 'seed-order-' || n, 'seed-acct-' || (n % greatest(:orders / 100, 1) + 1), 'dns',
       'o' || n || '.seed.bench.internal', false, 'valid', now() + interval '30 days', now()
from generate_series(1, :orders) n;

insert into acme_certificates (id, order_id, account_id, profile, issuer, serial, authority_key_id,
                               fingerprint_sha256, subject, names, key_type, not_before, not_after, chain_pem,
                               root_pem, status, created_at)
select 'seed-cert-' || n, 'seed-order-' || n, 'seed-acct-' || (n % greatest(:orders / 100, 1) + 1), 'default',
       'internal', md5('serial' || n), md5('aki'), md5('fp' || n) || md5('fp2' || n), '',
       'o' || n || '.seed.bench.internal', 'ec-p256', now(), now() + interval '90 days', repeat('A', 1400),
       repeat('B', 800), 'valid', now()
from generate_series(1, :orders) n;

insert into ca_issued_certificates (serial, authority_id, status, profile, subject, names, not_before, not_after,
                                    certificate_pem, fingerprint_sha256, created_at, issued_at)
select md5('serial' || n), 'seed', 'issued', 'acme:default', '', 'o' || n || '.seed.bench.internal', now(),
       now() + interval '90 days', repeat('A', 700), md5('fp' || n) || md5('fp2' || n), now(), now()
from generate_series(1, :orders) n;

insert into audit_events (seq, event_id, occurred_at, recorded_at, actor, source_ip, action, target, outcome,
                          details, prev_hash, hash)
select h.seq + n, md5('event' || n)::uuid, now(), now(), 'acme-account:seed', '127.0.0.1',
       (array['acme.order.created', 'acme.order.finalized', 'ca.certificate.signed', 'acme.certificate.downloaded',
              'acme.account.registered'])[n % 5 + 1], 'acme-order:seed-' || n, 'SUCCESS', '{"seed":"true"}',
       md5('p' || n) || md5('p2' || n), md5('h' || n) || md5('h2' || n)
from generate_series(1, :orders * 5) n, (select seq from audit_chain_head) h;
update audit_chain_head set seq = seq + :orders * 5;

insert into acme_spent_nonces (nonce, expires_at)
select md5('nonce' || n) || substr(md5('n2' || n), 1, 11), now() + interval '1 hour'
from generate_series(1, :orders * 4) n;
commit;
analyze;
