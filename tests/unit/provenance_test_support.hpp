#pragma once
// Helpers for the provenance, audit and bookkeeping upgrade tests (test_provenance.cpp,
// test_bookkeeping_upgrade.cpp).
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "unit/schema_assertions.hpp"

namespace migpkg::test {

// "SHA256 KEYID" for a package, "none" when both are null (a migration from sources).
std::string provenance_text(const nlohmann::json& sha256, const nlohmann::json& key_id);

// A new plugin directory `dir` holding the files of every directory in `sources` (paths
// relative to the repository root): a newer version of a plugin, to pack.
std::string joined_plugin_dir(const std::string& dir, const std::vector<std::string>& sources);

// The file's SHA-256 as coreutils' sha256sum prints it.
std::string sha256sum(const std::string& path);
// The key id a minisign .pub file names in its comment line.
std::string key_id_of_pub(const std::string& pub_path);

// Each row of the query as its values joined by spaces (NULL as "NULL").
std::vector<std::string> rows_of(const std::string& url, const std::string& sql);
// The column names of a table, in order.
std::vector<std::string> columns_of(const std::string& url, const std::string& table);
// migration id -> provenance_text of a bookkeeping table's package_sha256 and signing_key.
std::map<std::string, std::string> table_provenance(const std::string& url,
                                                    const std::string& table);

}  // namespace migpkg::test
