// What a backup taken before a rollback needs beyond the data: the applied rows the rollback
// takes away, so that a restore of the backup can record those migrations as applied again.
// Kept in migpkg_meta, which restores never touch, under a key per backup.
#include <nlohmann/json.hpp>

#include "compiler/util/sha256.hpp"
#include "runtime/history/bookkeeping.hpp"

namespace migpkg::runtime {
namespace {

const char* kKeyPrefix = "rollback-backup:";

// The key names the backup by the SHA-256 of its path: a path can be longer than a key column
// holds (MySQL's VARCHAR(255)). Keys written before were the prefix and the path itself.
std::string key_of(const std::string& backup_path) {
  return kKeyPrefix + std::string("sha256:") + sha256_hex(backup_path);
}

}  // namespace

void Bookkeeping::remember_rollback_backup(const std::string& backup_path,
                                           const std::vector<AppliedMigration>& applied,
                                           const std::vector<std::string>& conflicts) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& a : applied) {
    rows.push_back({{"pluginId", a.plugin_id},
                    {"migrationId", a.migration_id},
                    {"version", a.version},
                    {"checksum", a.checksum},
                    {"appliedAt", a.applied_at},
                    {"appliedBy", a.applied_by},
                    {"sequence", a.sequence},
                    {"plan", a.plan_json}});
    // Only for migrations from packages; rows remembered by version 1 have none.
    if (!a.provenance.package_sha256.empty())
      rows.back()["packageSha256"] = a.provenance.package_sha256;
    if (!a.provenance.signing_key.empty()) rows.back()["signingKey"] = a.provenance.signing_key;
  }
  nlohmann::json value{{"applied", rows}, {"conflicts", conflicts}};
  c_.execute("INSERT INTO migpkg_meta (\"key\", value) VALUES ($1, $2)",
             {key_of(backup_path), value.dump()});
}

std::optional<Bookkeeping::RollbackBackup> Bookkeeping::rollback_backup(
    const std::string& backup_path) {
  auto result = c_.query("SELECT value FROM migpkg_meta WHERE \"key\" IN ($1, $2)",
                         {key_of(backup_path), kKeyPrefix + backup_path});
  if (result.rows.empty() || !result.rows[0][0]) return std::nullopt;
  nlohmann::json value = nlohmann::json::parse(*result.rows[0][0], nullptr, false);
  if (!value.is_object()) return std::nullopt;
  RollbackBackup out;
  for (const auto& row : value.value("applied", nlohmann::json::array())) {
    out.applied.push_back(
        {row.at("pluginId").get<std::string>(), row.at("migrationId").get<std::string>(),
         row.at("version").get<std::string>(), row.at("checksum").get<std::string>(),
         row.at("appliedAt").get<std::string>(), row.at("appliedBy").get<std::string>(),
         row.at("sequence").get<std::int64_t>(), row.at("plan").get<std::string>(),
         Provenance{row.value("packageSha256", std::string()),
                    row.value("signingKey", std::string())}});
  }
  for (const auto& c : value.value("conflicts", nlohmann::json::array()))
    out.conflicts.push_back(c.get<std::string>());
  return out;
}

void Bookkeeping::reinstate_applied(const AppliedMigration& a) {
  forget_written_rows();  // an applied row not written by this run's own bookkeeping
  auto optional_text = [](const std::string& value) {
    return value.empty() ? std::nullopt : std::optional<std::string>(value);
  };
  c_.execute(
      "INSERT INTO migpkg_applied (plugin_id, migration_id, version, checksum, applied_at, "
      "applied_by, sequence, plan, package_sha256, signing_key) VALUES ($1, $2, $3, $4, $5, $6, "
      "$7, $8, $9, $10)",
      {a.plugin_id, a.migration_id, a.version, a.checksum, a.applied_at, a.applied_by,
       std::to_string(a.sequence), a.plan_json, optional_text(a.provenance.package_sha256),
       optional_text(a.provenance.signing_key)});
}

}  // namespace migpkg::runtime
