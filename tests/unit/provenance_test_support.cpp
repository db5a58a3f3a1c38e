#include "unit/provenance_test_support.hpp"

#include <catch2/catch.hpp>

#include "runtime/engines/engine_registry.hpp"
#include "unit/json_schema_check.hpp"
#include "unit/test_support.hpp"

namespace migpkg::test {

std::string provenance_text(const nlohmann::json& sha256, const nlohmann::json& key_id) {
  if (sha256.is_null() && key_id.is_null()) return "none";
  return (sha256.is_string() ? sha256.get<std::string>() : "NULL") + " " +
         (key_id.is_string() ? key_id.get<std::string>() : "NULL");
}

std::string joined_plugin_dir(const std::string& dir, const std::vector<std::string>& sources) {
  REQUIRE(shell("mkdir -p " + shell_quoted(dir)) == 0);
  for (const auto& source : sources)
    for (const auto& name : list_dir(source_dir() + "/" + source))
      write_file(dir + "/" + name, read_file(source_dir() + "/" + source + "/" + name));
  return dir;
}

std::string sha256sum(const std::string& path) {
  std::string out = capture("sha256sum " + shell_quoted(path));
  REQUIRE(out.size() >= 64);
  return out.substr(0, 64);
}

std::string key_id_of_pub(const std::string& pub_path) {
  std::string text = read_file(pub_path);
  std::string first = text.substr(0, text.find('\n'));
  return first.substr(first.size() - 16);
}

std::vector<std::string> rows_of(const std::string& url, const std::string& sql) {
  auto connection = runtime::open_url(url);
  std::vector<std::string> out;
  for (const auto& row : connection->query(sql).rows) {
    std::string line;
    for (const auto& value : row) line += (line.empty() ? "" : " ") + value.value_or("NULL");
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> columns_of(const std::string& url, const std::string& table) {
  auto connection = runtime::open_url(url);
  return connection->query("SELECT * FROM " + table + " WHERE 1 = 0").columns;
}

std::map<std::string, std::string> table_provenance(const std::string& url,
                                                    const std::string& table) {
  auto connection = runtime::open_url(url);
  std::map<std::string, std::string> out;
  for (const auto& row :
       connection->query("SELECT migration_id, package_sha256, signing_key FROM " + table).rows)
    out[row[0].value_or("")] = provenance_text(row[1] ? nlohmann::json(*row[1]) : nlohmann::json(),
                                               row[2] ? nlohmann::json(*row[2]) : nlohmann::json());
  return out;
}

}  // namespace migpkg::test
