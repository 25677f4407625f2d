-- Each probe and each discovery run looks up the endpoint rows of its own source.
create index inv_endpoints_source_idx on inv_endpoints (source);
