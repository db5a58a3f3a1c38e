-- migpkg's bookkeeping tables at version 1 on postgresql, as bookkeeping.cpp created them
-- before version 2 added provenance: what an existing database holds. One statement a line.
CREATE TABLE migpkg_plugins (plugin_id TEXT PRIMARY KEY, version TEXT NOT NULL, installed_at TEXT NOT NULL, updated_at TEXT NOT NULL, conflicts TEXT NOT NULL);
CREATE TABLE migpkg_applied (plugin_id TEXT NOT NULL, migration_id TEXT NOT NULL, version TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL, applied_by TEXT NOT NULL, sequence BIGINT NOT NULL, plan TEXT NOT NULL, PRIMARY KEY (plugin_id, migration_id));
CREATE INDEX migpkg_applied_sequence ON migpkg_applied (sequence);
CREATE TABLE migpkg_journal (plugin_id TEXT NOT NULL, migration_id TEXT NOT NULL, direction TEXT NOT NULL, step_index INTEGER NOT NULL, step_id TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (plugin_id, migration_id, direction, step_index));
CREATE TABLE migpkg_inflight (plugin_id TEXT NOT NULL, migration_id TEXT NOT NULL, version TEXT NOT NULL, direction TEXT NOT NULL, checksum TEXT NOT NULL, started_at TEXT NOT NULL, plan TEXT NOT NULL, PRIMARY KEY (plugin_id, migration_id));
CREATE TABLE migpkg_history (id BIGSERIAL PRIMARY KEY, plugin_id TEXT NOT NULL, migration_id TEXT NOT NULL, version TEXT NOT NULL, direction TEXT NOT NULL, state TEXT NOT NULL, checksum TEXT NOT NULL, applied_by TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT NOT NULL, duration_ms BIGINT NOT NULL, backup TEXT, error TEXT, skipped_steps TEXT NOT NULL);
CREATE TABLE migpkg_audit (id BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, command TEXT NOT NULL, arguments TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE migpkg_meta ("key" TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO migpkg_meta ("key", value) VALUES ('bookkeeping_version', '1');
