// Bookkeeping::record_baseline (bookkeeping.hpp): a migration recorded as applied by
// `migpkg baseline`, its steps not run.
#include "runtime/history/bookkeeping.hpp"

namespace migpkg::runtime {

void Bookkeeping::record_baseline(const plan::Migration& migration, const std::string& actor,
                                  const Provenance& provenance) {
  HistoryRow history;
  history.plugin_id = migration.plugin_id;
  history.migration_id = migration.id;
  history.version = migration.version;
  history.direction = "up";
  history.state = "applied";
  history.checksum = migration.checksum;
  history.applied_by = actor;
  history.started_at = history.finished_at = utc_now();
  history.provenance = provenance;
  add_history(history);
  mark_applied(migration, actor, history.started_at, provenance);
}

}  // namespace migpkg::runtime
