-- Change-gated renewals: a token-bound order whose managed certificate's renewal policy requires a change record
-- is held at finalize. It stays processing, keeping the client's CSR and the renewal attempt that holds it, until
-- the change is approved (the CSR is then issued) or rejected, or the order expires. The CSR is cleared when the
-- order ends.
alter table acme_orders add column renewal_attempt_id varchar(32);
alter table acme_orders add column held_csr varchar(20000);
