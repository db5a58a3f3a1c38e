// The writes of `migpkg repair` (runtime/installer/repair.cpp): the one place a stored
// checksum is rewritten, and the history rows that say so. Everything else repair does goes
// through the writes a run uses (end_inflight, mark_applied, mark_rolled_back).
#include "runtime/history/bookkeeping.hpp"

namespace migpkg::runtime {

void Bookkeeping::update_applied_checksum(const std::string& plugin_id,
                                          const std::string& migration_id,
                                          const std::string& checksum,
                                          const std::string& plan_json) {
  c_.execute(
      "UPDATE migpkg_applied SET checksum = $1, plan = $2 WHERE plugin_id = $3 AND "
      "migration_id = $4",
      {checksum, plan_json, plugin_id, migration_id});
}

void Bookkeeping::record_repair(const std::string& plugin_id, const std::string& migration_id,
                                const std::string& version, const std::string& direction,
                                const std::string& checksum, const std::string& actor,
                                const std::string& detail, const Provenance& provenance) {
  HistoryRow h;
  h.plugin_id = plugin_id;
  h.migration_id = migration_id;
  h.version = version;
  h.direction = direction;
  h.state = "repaired";
  h.checksum = checksum;
  h.applied_by = actor;
  h.started_at = h.finished_at = utc_now();
  h.error = detail;
  h.provenance = provenance;
  add_history(std::move(h));
}

}  // namespace migpkg::runtime
