// The manifest both engines write next to their data, and the comparison of recorded and
// recomputed digests. Also compiled into the PostgreSQL module (runtime/engines/postgresql/), so it
// depends on nothing but backup_files.cpp and the SHA-256 helper.
#include <algorithm>
#include <map>

#include "runtime/backup/backup_internal.hpp"

namespace migpkg::runtime {
namespace backup_detail {

std::string display_name(const TableDigest& table) {
  return table.schema.empty() ? table.name : table.schema + "." + table.name;
}

std::string overall_sha256(const std::vector<TableDigest>& tables) {
  std::vector<const TableDigest*> sorted;
  for (const auto& table : tables) sorted.push_back(&table);
  std::sort(sorted.begin(), sorted.end(), [](const TableDigest* a, const TableDigest* b) {
    return std::tie(a->schema, a->name) < std::tie(b->schema, b->name);
  });
  // Tab-separated lines: names cannot smuggle in another table's line because the per-table
  // hashes are fixed-length hex and each name part is length-prefixed.
  std::string canonical = std::string(kFormat) + "\n";
  for (const TableDigest* table : sorted)
    canonical += std::to_string(table->schema.size()) + ":" + table->schema + "\t" +
                 std::to_string(table->name.size()) + ":" + table->name + "\t" +
                 std::to_string(table->rows) + "\t" + table->sha256 + "\n";
  return sha256_hex(canonical);
}

void compare_digests(const std::vector<TableDigest>& expected,
                     const std::vector<TableDigest>& found, const std::string& where,
                     const std::string& source) {
  std::map<std::pair<std::string, std::string>, const TableDigest*> by_name;
  for (const auto& table : found) by_name[{table.schema, table.name}] = &table;
  for (const auto& want : expected) {
    auto it = by_name.find({want.schema, want.name});
    if (it == by_name.end())
      throw BackupError("table " + display_name(want) + " is in " + source + " but not in " +
                        where);
    const TableDigest& got = *it->second;
    if (got.rows != want.rows)
      throw BackupError("table " + display_name(want) + ": " + where + " holds " +
                        std::to_string(got.rows) + " rows, " + source + " records " +
                        std::to_string(want.rows));
    if (got.sha256 != want.sha256)
      throw BackupError("table " + display_name(want) + ": the data in " + where +
                        " does not match " + source + " (sha256 " + got.sha256 + ", expected " +
                        want.sha256 + ")");
    by_name.erase(it);
  }
  if (!by_name.empty())
    throw BackupError(where + " holds table " + display_name(*by_name.begin()->second) +
                      ", which " + source + " does not list");
}

BackupInfo info_from(const std::string& path, const std::string& engine,
                     const std::vector<TableDigest>& tables) {
  BackupInfo info;
  info.path = path;
  info.engine = engine;
  info.sha256 = overall_sha256(tables);
  for (const auto& table : tables) {
    info.tables.push_back({table.schema, table.name, table.rows});
    info.total_rows += table.rows;
  }
  return info;
}

const nlohmann::json& member(const nlohmann::json& object, const char* key,
                             const std::string& manifest_path) {
  if (!object.is_object() || !object.contains(key))
    throw BackupError("backup manifest " + manifest_path + " is damaged: \"" + key +
                      "\" is missing");
  return object.at(key);
}

std::string string_member(const nlohmann::json& object, const char* key,
                          const std::string& manifest_path) {
  const nlohmann::json& value = member(object, key, manifest_path);
  if (!value.is_string())
    throw BackupError("backup manifest " + manifest_path + " is damaged: \"" + key +
                      "\" is not a string");
  return value.get<std::string>();
}

nlohmann::json read_manifest(const std::string& manifest_path) {
  if (!exists(manifest_path))
    throw BackupError("backup manifest " + manifest_path +
                      " does not exist (is this a migpkg backup?)");
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(read_whole_file(manifest_path));
  } catch (const nlohmann::json::exception& error) {
    throw BackupError("backup manifest " + manifest_path + " is not valid JSON: " + error.what());
  }
  std::string format = string_member(manifest, "format", manifest_path);
  if (format != kFormat)
    throw BackupError("backup manifest " + manifest_path + " has format \"" + format +
                      "\"; this migpkg reads \"" + kFormat + "\"");
  return manifest;
}

std::vector<TableDigest> manifest_tables(const nlohmann::json& manifest,
                                         const std::string& manifest_path) {
  const nlohmann::json& tables = member(manifest, "tables", manifest_path);
  if (!tables.is_array())
    throw BackupError("backup manifest " + manifest_path + " is damaged: \"tables\" is not a list");
  std::vector<TableDigest> out;
  for (const auto& table : tables) {
    TableDigest digest;
    if (table.contains("schema")) digest.schema = string_member(table, "schema", manifest_path);
    digest.name = string_member(table, "name", manifest_path);
    const nlohmann::json& rows = member(table, "rows", manifest_path);
    if (!rows.is_number_integer() || rows.get<std::int64_t>() < 0)
      throw BackupError("backup manifest " + manifest_path + " is damaged: the row count of " +
                        display_name(digest) + " is not a count");
    digest.rows = rows.get<std::int64_t>();
    digest.sha256 = string_member(table, "sha256", manifest_path);
    out.push_back(std::move(digest));
  }
  std::string recorded = string_member(manifest, "sha256", manifest_path);
  if (recorded != overall_sha256(out))
    throw BackupError("backup manifest " + manifest_path +
                      " is inconsistent: its overall sha256 does not match its table list");
  return out;
}

std::string manifest_text(const nlohmann::json& manifest) {
  try {
    return manifest.dump(2) + "\n";  // object keys come out sorted: the text is stable
  } catch (const nlohmann::json::exception& error) {
    // Only names or definitions that are not valid UTF-8 get here.
    throw BackupError(std::string("cannot write the backup manifest: ") + error.what());
  }
}

}  // namespace backup_detail
}  // namespace migpkg::runtime
