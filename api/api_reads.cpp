// status, history and verify: read-only reports, built by the same functions as the commands'
// --json (runtime/history/state_report_json.hpp, runtime/package/verify_report_json.hpp), the
// typed fields read from that report so the two cannot disagree.
#include <nlohmann/json.hpp>

#include "api/api_support.hpp"
#include "include/migpkg/operations.hpp"
#include "runtime/history/state_report_json.hpp"
#include "runtime/installer/database_opening.hpp"
#include "runtime/installer/preflight.hpp"
#include "runtime/package/package_verifier.hpp"
#include "runtime/package/trust_store.hpp"
#include "runtime/package/verify_report_json.hpp"

namespace migpkg::api {
namespace {

using ojson = nlohmann::ordered_json;

std::string text_or_empty(const ojson& value) {
  return value.is_string() ? value.get<std::string>() : std::string();
}

}  // namespace

StatusResult status(const std::string& database) {
  return detail::guarded<StatusResult>([&](StatusResult& out) {
    runtime::DatabaseUrl url = runtime::DatabaseUrl::parse(database);
    // A SQLite file that does not exist reads as an empty database and is not created.
    auto connection = runtime::open_for_reading(url);
    runtime::Bookkeeping bookkeeping(*connection);
    runtime::InstalledState state;
    // Without the stored plans' text, which status never prints (and a reader may not be
    // allowed to read).
    if (bookkeeping.tables_exist()) state = runtime::read_installed_state(bookkeeping, false);
    ojson report = runtime::status_json(database, ir::engine_name(url.engine), state);
    out.json = report.dump(2);
    out.database = report["database"].get<std::string>();
    out.engine = report["engine"].get<std::string>();
    for (const auto& p : report["plugins"]) {
      InstalledPlugin plugin{p["pluginId"],
                             p["version"],
                             p["installedAt"],
                             p["updatedAt"],
                             p["conflicts"].get<std::vector<std::string>>(),
                             {}};
      for (const auto& m : p["migrations"])
        plugin.migrations.push_back({m["id"], m["version"], m["checksum"], m["appliedAt"],
                                     m["appliedBy"], text_or_empty(m["packageSha256"]),
                                     text_or_empty(m["signingKey"])});
      out.plugins.push_back(std::move(plugin));
    }
    for (const auto& f : report["partial"])
      out.partial.push_back({f["pluginId"], f["migrationId"], f["version"], f["direction"],
                             f["startedAt"], f["stepsDone"].get<int>(), f["stepsTotal"].get<int>(),
                             text_or_empty(f["lastStepDone"]), text_or_empty(f["nextStep"])});
  });
}

HistoryResult history(const std::string& database, const std::string& plugin) {
  return detail::guarded<HistoryResult>([&](HistoryResult& out) {
    runtime::DatabaseUrl url = runtime::DatabaseUrl::parse(database);
    auto connection = runtime::open_for_reading(url);
    runtime::Bookkeeping bookkeeping(*connection);
    std::vector<runtime::HistoryRow> rows;
    if (bookkeeping.tables_exist()) {
      bookkeeping.check_version();
      rows = bookkeeping.history(plugin);
    }
    out.json = runtime::history_json(rows).dump(2);
    for (const auto& h : rows)
      out.entries.push_back({h.id, h.plugin_id, h.migration_id, h.version, h.direction, h.state,
                             h.checksum, h.applied_by, h.started_at, h.finished_at, h.duration_ms,
                             h.backup, h.error, h.skipped_steps, h.provenance.package_sha256,
                             h.provenance.signing_key});
  });
}

VerifyResult verify(const std::string& path, const std::optional<std::string>& trust) {
  return detail::guarded<VerifyResult>([&](VerifyResult& out) {
    package::TrustStore store = package::TrustStore::load(package::trust_location(trust));
    package::VerifiedPackage v = package::verify_package_file(path, &store);
    out.json = package::verify_json(path, v).dump(2);
    out.plugin = v.manifest.plugin;
    out.version = v.manifest.version;
    out.key_id = package::key_id_hex(v.key_id);
    out.trusted_key = v.key_source;
    out.rotation = v.trust_chain;
    out.files = v.manifest.files.size();
    out.bytes = v.member_bytes;
  });
}

}  // namespace migpkg::api
