-- migpkg 0.1.0 plan for postgresql (up): 1 migration

-- migration test.nontransactional/nt-events 1.0.0: Index built outside a transaction
-- checksum sha256-v1:29974e65eed062ecaee98e12e31bbf0631a21261121cea63e44c6cd951cdfec0
BEGIN;
-- step create-table (up): Create nt_events
CREATE TABLE nt_events (id INTEGER PRIMARY KEY, kind VARCHAR(20) NOT NULL, happened_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
INSERT INTO nt_events (id, kind) VALUES (1, 'login'), (2, 'logout');
COMMIT;
-- non-transactional: runs outside a transaction
-- step create-index (up): Index nt_events.kind
CREATE INDEX CONCURRENTLY nt_events_kind_idx ON nt_events (kind);
BEGIN;
-- step after-index (up): Create nt_summary after the index
CREATE TABLE nt_summary (kind VARCHAR(20) PRIMARY KEY, total INTEGER NOT NULL);
COMMIT;
