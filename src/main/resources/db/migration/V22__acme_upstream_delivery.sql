-- Upstream delivery: a profile of our ACME server may have its certificates issued by an external ACME CA.
-- The edge client's CSR goes upstream in a workflow, which then belongs to our order instead of a managed
-- certificate.
alter table acme_profiles add column upstream_issuer varchar(100);
alter table acme_profiles add column upstream_dns_provider varchar(100);
alter table acme_profiles add column upstream_challenge varchar(16);

alter table acme_orders add column upstream_workflow_id varchar(32);

alter table acme_client_workflows add column csr varchar(20000);
alter table acme_client_workflows add column reference varchar(200);
alter table acme_client_workflows alter column managed_certificate_id drop not null;
