#include "unit/registry_test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include "runtime/check/table_rows.hpp"
#include "runtime/drivers/connection.hpp"
#include "runtime/package/minisign.hpp"
#include "unit/package_test_support.hpp"
#include "unit/test_support.hpp"

namespace migpkg::test {
namespace {

std::unique_ptr<runtime::Connection> open(const std::string& url) {
  return runtime::open_connection(runtime::DatabaseUrl::parse(url));
}

std::string row_text(const runtime::Row& row) {
  std::string out;
  for (const auto& value : row) out += (value ? *value : std::string("NULL")) + "|";
  return out;
}

}  // namespace

RegistryWorld::RegistryWorld() : tmp(make_temp_dir()), trust(tmp + "/trust") {
  for (const char* key : {"registry", "pub", "mid", "new", "other"}) make_key(tmp, key);
  REQUIRE(shell("mkdir -p '" + trust + "' && cp '" + public_key("registry") + "' '" +
                public_key("pub") + "' '" + trust + "/'") == 0);
  // Each version's sources: the first N migrations of tests/index/shop.
  const std::map<std::string, std::string> sources = {
      {"1.0.0", "001"}, {"1.1.0", "00[12]"}, {"2.0.0", "00[123]"}};
  for (const auto& [version, files] : sources)
    REQUIRE(shell("mkdir -p '" + tmp + "/shop-" + version + "' && cp '" + source_dir() +
                  "'/tests/index/shop/" + files + "-*.mig '" + tmp + "/shop-" + version + "/'") ==
            0);
}

std::string RegistryWorld::key_id(const std::string& key) const {
  std::string text = read_file(public_key(key));
  std::string first = text.substr(0, text.find('\n'));
  return first.substr(first.size() - 16);
}

std::string RegistryWorld::package(const std::string& version, const std::string& key) {
  std::string name = version + "-" + key;
  auto it = packed_.find(name);
  if (it != packed_.end()) return it->second;
  std::string out = tmp + "/shop-" + name + ".migpkg";
  pack(tmp + "/shop-" + version, out, secret(key));
  packed_[name] = out;
  return out;
}

std::string RegistryWorld::registry(
    const std::map<std::string, std::pair<std::string, std::string>>& files) {
  std::string dir = tmp + "/registry-" + std::to_string(++registries_);
  REQUIRE(shell("mkdir -p '" + dir + "'") == 0);
  for (const auto& [file, what] : files)
    REQUIRE(shell("cp '" + package(what.first, what.second) + "' '" + dir + "/" + file + "'") == 0);
  return dir;
}

void RegistryWorld::build_index(const std::string& dir, const std::string& extra,
                                const std::string& key) {
  auto result = run_cli("index build '" + dir + "' --key '" + secret(key) + "' " + extra);
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
}

std::string RegistryWorld::rotate(const std::string& old_key, const std::string& new_key,
                                  const std::string& dir) {
  std::string out = dir + "/" + old_key + "-" + new_key + ".rotation";
  auto result = run_cli("key rotate --old '" + secret(old_key) + "' --new '" + public_key(new_key) +
                        "' -o '" + out + "'");
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);
  return out;
}

void RegistryWorld::resign(const std::string& dir,
                           const std::function<void(package::RegistryIndex&)>& change,
                           const std::string& key) {
  std::string path = dir + "/index.json";
  package::RegistryIndex index = package::parse_index(read_file(path), path);
  change(index);
  std::string bytes = package::index_bytes(index);
  package::SecretKey secret_key =
      package::parse_secret_key(read_file(secret(key)), secret(key), [] { return std::string(); });
  write_file(path, bytes);
  write_file(path + ".minisig",
             package::sign_message(secret_key, bytes, package::index_trusted_comment(index)));
}

void make_key_in(const std::string& dir, const std::string& name) {
  make_key(dir, name);
}

std::string database_state(const std::string& url) {
  auto c = open(url);
  std::vector<std::string> lines;
  for (const auto& [table, rows] : runtime::snapshot_rows(*c))
    for (const auto& row : rows.rows) lines.push_back(table + ": " + row_text(row));
  for (const char* table : {"migpkg_applied", "migpkg_history", "migpkg_plugins", "migpkg_audit"})
    for (const auto& row : c->query(std::string("SELECT * FROM ") + table).rows)
      lines.push_back(std::string(table) + ": " + row_text(row));
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

std::string index_state_files(const std::string& trust_directory) {
  std::string dir = trust_directory + "/index-state";
  if (!path_exists(dir)) return "";
  std::string out;
  for (const auto& name : list_dir(dir)) out += name + "\n" + read_file(dir + "/" + name);
  return out;
}

std::vector<std::string> audit_details(const std::string& url) {
  std::vector<std::string> out;
  for (const auto& row : open(url)->query("SELECT detail FROM migpkg_audit ORDER BY id").rows)
    out.push_back(row[0] ? *row[0] : "");
  return out;
}

void execute_sql(const std::string& url, const std::string& sql) {
  open(url)->execute(sql);
}

std::string query_text(const std::string& url, const std::string& sql) {
  std::string out;
  for (const auto& row : open(url)->query(sql).rows)
    out += (out.empty() ? "" : "\n") + row_text(row);
  return out;
}

}  // namespace migpkg::test
