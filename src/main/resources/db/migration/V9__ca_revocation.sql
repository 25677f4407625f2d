-- Revocation of certificates the built-in CA issued (RFC 5280 5.3.1 reason codes).
alter table ca_issued_certificates add column revoked_at timestamp with time zone;
alter table ca_issued_certificates add column revocation_reason int;
