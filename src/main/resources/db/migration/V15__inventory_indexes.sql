-- Indexes measured with a million certificates (docs/benchmarks.md, "Inventory at a million certificates").
-- Sorting the list by subject read and sorted every row without one (about 0.6 s); with it the first page is
-- an index range.
create index inv_certificates_subject_sort_idx on inv_certificates (subject_cn, id);
-- "Hosts with expiring" joins the endpoints to the ids of every certificate that is not valid: this index
-- hands over those ids without reading the table (it was a scan of every row, about 1 s).
create index inv_certificates_status_id_idx on inv_certificates (status, id);
