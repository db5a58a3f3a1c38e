-- migpkg 0.1.0 plan for postgresql (down): 1 migration

-- migration test.nontransactional/nt-events 1.0.0: Index built outside a transaction
-- checksum sha256-v1:29974e65eed062ecaee98e12e31bbf0631a21261121cea63e44c6cd951cdfec0
BEGIN;
-- step drop-summary (down): Drop nt_summary
DROP TABLE nt_summary;
COMMIT;
-- non-transactional: runs outside a transaction
-- step drop-index (down): Drop nt_events_kind_idx
DROP INDEX CONCURRENTLY nt_events_kind_idx;
BEGIN;
-- step drop-table (down): Drop nt_events
DROP TABLE nt_events;
COMMIT;
