-- ARI (RFC 9773) for workflows: the certificate a renewal order replaces, and the certificate identifier and
-- suggested renewal window the CA gave for the certificate a workflow obtained.
alter table acme_client_workflows add column replaces varchar(200);
alter table acme_client_workflows add column ari_certificate_id varchar(200);
alter table acme_client_workflows add column ari_window_start timestamp with time zone;
alter table acme_client_workflows add column ari_window_end timestamp with time zone;
