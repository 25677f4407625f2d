-- Seeds a benchmark database with :certificates inventory certificates, stored as Inventory.record stores them
-- (every column of inv_certificates, the search terms of SearchTerms, one source each, and the endpoints
-- discovery would have seen), without parsing a million certificates first. Throw-away databases only.
--
--   psql -v certificates=1000000 -v pem="$(cat some-certificate.pem)" -f scripts/bench-seed-inventory.sql
--
-- Shape: 90 % leaves, 10 % CA certificates (10 roots, 50 issuing CAs that sign every leaf with a known issuer,
-- and other intermediates the inventory saw in chains); 20 organizations; 3,000 domains, a few much busier
-- than the rest (the busiest holds about 1.5 % of the leaves); 1 to 5 names per leaf, all under one domain,
-- some wildcards; leaves expire between 60 days ago and 400 days from now, so every status is populated;
-- ratings mostly A with some B to F for the reasons SecurityRating gives; origins issued, acme, imported and
-- discovered; endpoints for every fifth leaf, a tenth of them stale. Every certificate stores the same real
-- PEM (:pem): downloads are not what is measured. Pseudo-random but repeatable (setseed).
\set ON_ERROR_STOP on
\if :{?certificates}
\else
  \set certificates 1000000
\endif
set synchronous_commit = off;
set work_mem = '256MB';
select setseed(0.2026);

begin;
-- Certificates the server recorded itself at start (its CA and HTTPS certificate) already have their terms and
-- sources.
create temp table bench_existing on commit drop as select id from inv_certificates;
create temp table bench_org on commit drop as
select k, name from unnest(array['Acme Corporation', 'Globex', 'Initech', 'Umbrella Health', 'Stark Industries',
    'Wayne Enterprises', 'Hooli', 'Soylent Foods', 'Tyrell Systems', 'Cyberdyne Robotics', 'Wonka Industries',
    'Vandelay Industries', 'Massive Dynamic', 'Aperture Science', 'Gringotts Bank', 'Oscorp', 'Nakatomi Trading',
    'Pied Piper', 'Dunder Mifflin', 'Monarch Solutions']) with ordinality as o(name, k);

-- 3,000 registrable domains (acme.com, globex.net, ..., acme1.com, ...), each owned by one organization.
create temp table bench_domain on commit drop as
select k, w || case when k >= 60 then (k / 60)::text else '' end || '.'
            || (array['com', 'net', 'org', 'io', 'de', 'co.uk', 'example'])[k % 7 + 1] as name,
       k % 20 + 1 as org
from generate_series(0, 2999) k,
     lateral (select (array['acme', 'globex', 'initech', 'umbrella', 'stark', 'wayne', 'hooli', 'soylent', 'tyrell',
         'cyberdyne', 'wonka', 'vandelay', 'massive', 'aperture', 'gringotts', 'oscorp', 'nakatomi', 'piedpiper',
         'dunder', 'monarch', 'northwind', 'contoso', 'fabrikam', 'tailspin', 'wingtip', 'adventure', 'litware',
         'proseware', 'lucerne', 'fourthcoffee', 'alpine', 'blueyonder', 'coho', 'margie', 'treyresearch',
         'woodgrove', 'southridge', 'humongous', 'graphicdesign', 'relecloud', 'bellows', 'fernwood', 'ironbark',
         'kestrel', 'larkspur', 'moorland', 'oakridge', 'pinecrest', 'quarry', 'riverbend', 'stonegate',
         'thornfield', 'upland', 'valewood', 'westmark', 'yarrow', 'zephyr', 'amberly', 'brightwater',
         'cedarline'])[k % 60 + 1] as w) words;

-- CA certificates: 1-10 roots, 11-60 the issuing CAs leaves link to, the rest other intermediates under the roots.
create temp table bench_ca on commit drop as
select k,
       translate(rtrim(encode(substr(sha256(('ca' || k)::bytea), 1, 16), 'base64'), '='), '+/', '-_') as id,
       case when k <= 10 then v || ' Root CA R' || k
            when k <= 60 then v || ' Issuing CA ' || (k - 10)
            else v || ' Intermediate ' || k end as cn,
       v as org_name,
       case when k <= 10 then null else (k % 10) + 1 end as parent,
       case when k <= 10 then now() + ((3650 + k * 365) || ' days')::interval
            when k <= 60 then now() + ((400 + k * 30) || ' days')::interval
            else now() + ((-60 + floor(random() * 1900)) || ' days')::interval end as not_after,
       encode(substr(sha256(('ski' || k)::bytea), 1, 20), 'hex') as ski,
       k % 20 + 1 as org
from generate_series(1, greatest(:certificates / 10, 60)) k,
     lateral (select (array['ISRG', 'DigiCert', 'Sectigo', 'GlobalSign', 'Google Trust Services', 'Entrust',
         'Buypass', 'Certplane Internal', 'Acme Corporation', 'Globex'])[k % 10 + 1] as v) vendor;
alter table bench_ca add primary key (k);

insert into inv_certificates (id, fingerprint_sha256, fingerprint_sha1, serial, subject, subject_cn, issuer, issuer_cn,
    names, emails, uris, not_before, not_after, key_algorithm, key_bits, key_curve, signature_algorithm, is_ca,
    path_length, key_usage, extended_key_usage, ca_issuer_urls, ocsp_urls, crl_urls, sct_count, subject_key_id,
    authority_key_id, self_issued, issuer_certificate_id, has_private_key, source, owner, organization, tags, status,
    revoked_at, rating, rating_reasons, stale, pem, created_at, updated_at)
select c.id, encode(sha256(('fp-ca' || c.k)::bytea), 'hex'), substr(encode(sha512(('fp-ca' || c.k)::bytea), 'hex'), 1, 40),
       ltrim(md5('serial-ca' || c.k), '0'),
       'CN=' || c.cn || ',O=' || c.org_name || ',C=US', c.cn,
       coalesce('CN=' || p.cn || ',O=' || p.org_name || ',C=US', 'CN=' || c.cn || ',O=' || c.org_name || ',C=US'),
       coalesce(p.cn, c.cn), '', '', '', c.not_after - interval '10 years', c.not_after,
       case when c.k % 2 = 0 then 'EC' else 'RSA' end, case when c.k % 2 = 0 then 384 else 4096 end,
       case when c.k % 2 = 0 then 'P-384' end, case when c.k % 2 = 0 then 'SHA384withECDSA' else 'SHA256withRSA' end,
       true, case when c.k <= 10 then -1 else 0 end, E'keyCertSign\ncRLSign',
       case when c.k <= 10 then '' else E'serverAuth\nclientAuth' end,
       case when c.k <= 10 then '' else 'http://pki.' || lower(replace(p.org_name, ' ', '')) || '.example/' || p.k || '.crt' end,
       case when c.k <= 10 then '' else 'http://ocsp.' || lower(replace(p.org_name, ' ', '')) || '.example' end,
       case when c.k <= 10 then '' else 'http://crl.' || lower(replace(p.org_name, ' ', '')) || '.example/' || p.k || '.crl' end,
       0, c.ski, coalesce(p.ski, c.ski), c.k <= 10, p.id, false,
       (array['issued', 'acme', 'imported', 'discovered'])[c.k % 4 + 1], null, o.name, '',
       case when c.not_after < now() then 'expired' when c.not_after <= now() + interval '7 days' then 'expiring'
            when c.not_after <= now() + interval '30 days' then 'expiring_soon' else 'valid' end,
       null, case when c.not_after < now() then 'F' else 'A' end,
       case when c.not_after < now() then 'expired on ' || to_char(c.not_after at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') else '' end,
       false, :'pem', now() - interval '400 days' + (c.k % 400 || ' days')::interval,
       now() - interval '400 days' + (c.k % 400 || ' days')::interval
from bench_ca c left join bench_ca p on p.k = c.parent join bench_org o on o.k = c.org;

-- Leaves. d: the domain, skewed so that a few domains are busy; ca: the issuing CA, skewed too; u: one uniform
-- draw that decides rating, origin and key type.
create temp table bench_leaf on commit drop as
select i,
       translate(rtrim(encode(substr(sha256(('leaf' || i)::bytea), 1, 16), 'base64'), '='), '+/', '-_') as id,
       floor(3000 * power(random(), 2))::int as d,
       11 + floor(50 * power(random(), 1.5))::int as ca,
       now() + ((-60 * 86400 + floor(random() * 460 * 86400)) || ' seconds')::interval as not_after,
       random() as u,
       (array[1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5])[1 + floor(random() * 11)::int] as name_count,
       random() < 0.05 as wildcard,
       random() < 0.6 as ov
from generate_series(1, :certificates - greatest(:certificates / 10, 60)) i;
alter table bench_leaf add primary key (i);

create temp table bench_leaf_names on commit drop as
select l.i, array_agg(n.name order by n.j) as names
from bench_leaf l join bench_domain dm on dm.k = l.d,
     lateral (select j, case when j = 1 and l.wildcard then '*.' || coalesce(env || '.', '') || dm.name
                             else (array['www', 'api', 'mail', 'shop', 'app', 'vpn', 'portal', 'auth', 'cdn', 'static',
                                         'admin', 'intranet', 'git', 'ci', 'grafana', 'status', 'pay', 'm', 'login',
                                         'docs'])[1 + floor(random() * 20)::int + 0 * l.i]
                                  || '-' || floor(random() * 400)::int || '.' || coalesce(env || '.', '') || dm.name
                        end as name
              from generate_series(1, l.name_count) j,
                   lateral (select (array['prod', 'eu', 'us', 'staging', null, null, null, null])[1 + floor(random() * 8)::int + 0 * l.i] as env) e
             ) n
group by l.i;
alter table bench_leaf_names add primary key (i);

insert into inv_certificates (id, fingerprint_sha256, fingerprint_sha1, serial, subject, subject_cn, issuer, issuer_cn,
    names, emails, uris, not_before, not_after, key_algorithm, key_bits, key_curve, signature_algorithm, is_ca,
    path_length, key_usage, extended_key_usage, ca_issuer_urls, ocsp_urls, crl_urls, sct_count, subject_key_id,
    authority_key_id, self_issued, issuer_certificate_id, has_private_key, source, owner, organization, tags, status,
    revoked_at, rating, rating_reasons, stale, pem, created_at, updated_at)
select l.id, encode(sha256(('fp' || l.i)::bytea), 'hex'), substr(encode(sha512(('fp' || l.i)::bytea), 'hex'), 1, 40),
       ltrim(md5('serial' || l.i), '0'),
       'CN=' || ln.names[1] || case when l.ov then ',O=' || o.name || ',C=US' else '' end, ln.names[1],
       case when orphan then 'CN=Unknown Issuing CA ' || (l.i % 7) || ',O=Elsewhere,C=US'
            else 'CN=' || ca.cn || ',O=' || ca.org_name || ',C=US' end,
       case when orphan then 'Unknown Issuing CA ' || (l.i % 7) else ca.cn end,
       array_to_string(ln.names, E'\n'), '', '',
       l.not_after - (case when l.u < 0.015 then 825 when l.u < 0.5 then 90 else 397 end || ' days')::interval,
       l.not_after, key.alg, key.bits, key.curve,
       case when l.u between 0.05 and 0.06 then 'SHA1withRSA' when key.alg = 'EC' then 'SHA256withECDSA'
            else 'SHA256withRSA' end,
       false, -1, case when key.alg = 'RSA' then E'digitalSignature\nkeyEncipherment' else 'digitalSignature' end,
       E'serverAuth\nclientAuth',
       case when orphan then '' else 'http://pki.' || lower(replace(ca.org_name, ' ', '')) || '.example/' || ca.k || '.crt' end,
       case when orphan then '' else 'http://ocsp.' || lower(replace(ca.org_name, ' ', '')) || '.example' end,
       '', case when ca.k % 10 < 7 then 2 else 0 end,
       encode(substr(sha256(('ski' || l.i)::bytea), 1, 20), 'hex'),
       case when orphan then encode(substr(sha256(('unknown' || l.i % 7)::bytea), 1, 20), 'hex') else ca.ski end,
       false, case when orphan then null else ca.id end, false, origin, null, o.name, '',
       case when revoked then 'revoked' when l.not_after < now() then 'expired'
            when l.not_after <= now() + interval '7 days' then 'expiring'
            when l.not_after <= now() + interval '30 days' then 'expiring_soon' else 'valid' end,
       case when revoked then l.not_after - interval '45 days' end,
       case when l.not_after < now() or l.u between 0.06 and 0.065 then 'F' when l.u between 0.05 and 0.06 then 'D'
            when l.u < 0.015 then 'C' when orphan then 'B' else 'A' end,
       concat_ws(E'\n',
           case when l.not_after < now() then 'expired on ' || to_char(l.not_after at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') end,
           case when l.u between 0.06 and 0.065 then 'weak key: RSA 1024 bits (at least 2048 needed)' end,
           case when l.u between 0.05 and 0.06 then 'SHA-1 signature (SHA1withRSA)' end,
           case when l.u < 0.015 then 'publicly trusted leaf valid 825 days (more than 398)' end,
           case when orphan then 'incomplete chain: the issuer ''Unknown Issuing CA ' || (l.i % 7) || ''' is not in the inventory' end),
       false, :'pem', least(l.not_after - interval '90 days', now()), least(l.not_after - interval '90 days', now())
from bench_leaf l
join bench_leaf_names ln on ln.i = l.i
join bench_domain dm on dm.k = l.d
join bench_org o on o.k = dm.org
join bench_ca ca on ca.k = l.ca,
lateral (select l.u between 0.02 and 0.05 as orphan, l.u between 0.995 and 1 as revoked,
                (array['issued', 'acme', 'imported', 'discovered'])[1 + floor(l.u * 1000)::int % 4] as origin) f,
lateral (select case when l.u between 0.06 and 0.065 then 'RSA' when floor(l.u * 100000)::int % 10 < 5 then 'EC' else 'RSA' end as alg,
                case when l.u between 0.06 and 0.065 then 1024 when floor(l.u * 100000)::int % 10 < 5 then 256
                     when floor(l.u * 100000)::int % 10 = 9 then 4096 else 2048 end as bits,
                case when l.u between 0.06 and 0.065 then null when floor(l.u * 100000)::int % 10 < 5 then 'P-256' end as curve) key;

-- Search terms exactly as SearchTerms.of makes them: each name and its parent domains, the common names and
-- organizations of subject and issuer, fingerprints and serial, lower case, once each.
insert into inv_certificate_terms (term, certificate_id)
select t.term, c.id
from inv_certificates c,
     lateral (select distinct term from (select n as term from unnest(string_to_array(c.names, E'\n')) n where c.names <> ''
              union all
              select array_to_string(labels[p:], '.')
              from unnest(string_to_array(c.names, E'\n')) n,
                   lateral (select string_to_array(regexp_replace(n, '^\*\.', ''), '.') as labels) s,
                   generate_series(1, array_length(labels, 1) - 1) p
              where c.names <> ''
              union all select lower(c.subject_cn)
              union all select lower(c.issuer_cn)
              union all select lower(substring(c.subject from ',O=([^,]*)'))
              union all select lower(substring(c.issuer from ',O=([^,]*)'))
              union all select c.fingerprint_sha256
              union all select c.fingerprint_sha1
              union all select c.serial) all_terms
              where term is not null and term <> '') t
where c.id not in (select id from bench_existing);

-- Sources: what lists each certificate, by its origin.
insert into inv_certificate_sources (certificate_id, source, first_seen, last_seen)
select id, case source when 'issued' then 'managed:' || substr(md5(subject_cn), 1, 22)
                       when 'acme' then 'acme:default'
                       when 'imported' then 'import:batch-' || abs(hashtext(id)) % 200
                       else 'discovery:scan-' || abs(hashtext(id)) % 50 end,
       created_at, greatest(created_at, least(not_after, now()))
from inv_certificates
where id not in (select id from bench_existing);

-- Endpoints: every fifth leaf was seen served at its first name (a wildcard as www), mostly on 443; a tenth of
-- those endpoints now serve something else (stale_since).
insert into inv_endpoints (certificate_id, host, port, sni, source, first_seen, last_seen, stale_since)
select l.id, h.host, case when l.i % 10 = 5 then 8443 else 443 end, h.host, 'discovery:scan-' || l.i % 50,
       least(l.not_after - interval '80 days', now()), least(l.not_after, now()),
       case when l.i % 50 = 0 then least(l.not_after, now()) end
from bench_leaf l join bench_leaf_names ln on ln.i = l.i,
     lateral (select regexp_replace(ln.names[1], '^\*\.', 'www.') as host) h
where l.i % 5 = 0;
commit;
vacuum analyze inv_certificates;
vacuum analyze inv_certificate_terms;
vacuum analyze inv_certificate_sources;
vacuum analyze inv_endpoints;
