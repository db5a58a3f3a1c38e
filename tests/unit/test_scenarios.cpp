// Runtime scenarios as data (tests/scenarios/*.scenario, format in its README): each runs
// through the real CLI on a new SQLite file and on a scratch PostgreSQL database.
#include <catch2/catch.hpp>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "runtime/backup/backup_list.hpp"
#include "runtime/check/schema_snapshot.hpp"
#include "runtime/check/table_rows.hpp"
#include "runtime/crypto/age_keys.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/backup_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

std::string expand(std::string line) {
  std::string out;
  std::istringstream words(line);
  std::string word;
  while (words >> word) {
    if (word.rfind("F/", 0) == 0) word = "tests/scenarios/fixtures/" + word.substr(2);
    out += (out.empty() ? "" : " ") + word;
  }
  return out;
}

std::string rest_after(const std::string& line, const std::string& keyword) {
  return line.substr(keyword.size() + 1);
}

// Every user table's rows, sorted: an UPDATE may move a row within PostgreSQL's heap.
migpkg::runtime::DataSnapshot sorted_rows(migpkg::runtime::Connection& connection) {
  auto snapshot = migpkg::runtime::snapshot_rows(connection);
  for (auto& [table, rows] : snapshot) std::sort(rows.rows.begin(), rows.rows.end());
  return snapshot;
}

// The newest backup migpkg_history names.
std::string last_backup(const std::string& url) {
  auto connection = migpkg::runtime::open_connection(migpkg::runtime::DatabaseUrl::parse(url));
  auto result = connection->query(
      "SELECT backup FROM migpkg_history WHERE backup IS NOT NULL ORDER BY id DESC LIMIT 1");
  REQUIRE_FALSE(result.rows.empty());
  return result.rows[0][0].value_or("");
}

std::string manifest_of(const migpkg::runtime::ListedBackup& backup) {
  return backup.manifest;
}

// The largest data file of a backup (not its manifest).
// Changes the first character of an age file's header MAC (`--- MAC`) to another base64
// character: the header still parses, and no longer authenticates.
void change_age_header_mac(const std::string& path) {
  std::string content = read_file(path);
  auto at = content.find("\n--- ");
  REQUIRE(at != std::string::npos);
  char& first = content[at + 5];
  first = first == 'A' ? 'B' : 'A';
  write_file(path, content);
}

std::string largest_data_file(const std::string& backup) {
  std::string best;
  std::size_t size = 0;
  std::vector<std::string> files;
  if (!std::filesystem::is_directory(backup))
    files.push_back(backup);
  else
    for (const auto& name : list_dir(backup))
      if (name != "manifest.json") files.push_back(backup + "/" + name);
  for (const auto& file : files)
    if (read_file(file).size() >= size) {
      size = read_file(file).size();
      best = file;
    }
  return best;
}

void run_scenario(const std::string& path, const std::string& url) {
  std::map<std::string, migpkg::runtime::SchemaSnapshot> schemas;
  std::map<std::string, migpkg::runtime::DataSnapshot> rows;
  CommandResult last;
  std::string backups = make_temp_dir();
  std::string config;  // set by `config`: install, rollback and backups get --config
  std::map<std::string, std::string> variables;  // set by `age-keys`, replaced in every line
  auto connect = [&] {
    return migpkg::runtime::open_connection(migpkg::runtime::DatabaseUrl::parse(url));
  };
  auto inspect = [&] { return migpkg::runtime::inspect_schema(*connect()); };
  const std::string engine =
      migpkg::ir::engine_name(migpkg::runtime::DatabaseUrl::parse(url).engine);
  std::istringstream lines(read_file(path));
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    for (const auto& [name, value] : variables)
      for (std::size_t at = line.find(name); at != std::string::npos; at = line.find(name, at))
        line.replace(at, name.size(), value);
    INFO(path << ":" << number << ": " << line);
    std::string keyword = line.substr(0, line.find(' '));
    // `if ENGINES LINE` / `unless ENGINES LINE`: LINE on (not on) the engines named, a
    // comma-separated list, where an engine genuinely differs (MySQL commits DDL at once).
    if (keyword == "if" || keyword == "unless") {
      std::string rest = rest_after(line, keyword);
      std::string engines = "," + rest.substr(0, rest.find(' ')) + ",";
      bool named = engines.find("," + engine + ",") != std::string::npos;
      if (named != (keyword == "if")) continue;
      line = rest_after(rest, rest.substr(0, rest.find(' ')));
      keyword = line.substr(0, line.find(' '));
    }
    // `only ENGINES`: the rest of the file runs on those engines alone (sources written for
    // some engines only, such as a converted peer history).
    if (keyword == "only") {
      std::string engines = "," + rest_after(line, keyword) + ",";
      if (engines.find("," + engine + ",") == std::string::npos) break;
      continue;
    }
    if (keyword == "run") {
      std::string args = rest_after(line, "run");
      int expected = 0;
      if (args.rfind("exit=", 0) == 0) {
        expected = std::stoi(args.substr(5));
        args = args.substr(args.find(' ') + 1);
      }
      // Backups go to a private directory, never into the source tree.
      bool takes_backups = args.rfind("install", 0) == 0 || args.rfind("rollback", 0) == 0 ||
                           args.rfind("backups", 0) == 0;  // plan takes no backups
      last = run_cli(expand(args) + " --db '" + url + "'" +
                     (takes_backups ? " --backup-dir '" + backups + "'" : "") +
                     (takes_backups && !config.empty() ? " --config '" + config + "'" : ""));
      INFO("stdout: " << last.out << "\nstderr: " << last.err);
      REQUIRE(last.exit_code == expected);
    } else if (keyword == "expect-out") {
      INFO("stdout: " << last.out);
      CHECK(last.out.find(rest_after(line, keyword)) != std::string::npos);
    } else if (keyword == "expect-no-out") {
      INFO("stdout: " << last.out);
      CHECK(last.out.find(rest_after(line, keyword)) == std::string::npos);
    } else if (keyword == "expect-err") {
      INFO("stderr: " << last.err);
      CHECK(last.err.find(rest_after(line, keyword)) != std::string::npos);
    } else if (keyword == "save-schema") {
      schemas[rest_after(line, keyword)] = inspect();
    } else if (keyword == "same-schema") {
      auto now = inspect();
      const auto& saved = schemas.at(rest_after(line, keyword));
      std::string difference;
      for (const auto& d : migpkg::runtime::diff_schema(saved, now)) difference += d + "\n";
      INFO(difference);
      CHECK(saved == now);
    } else if (keyword == "save-rows") {
      rows[rest_after(line, keyword)] = sorted_rows(*connect());
    } else if (keyword == "same-rows") {
      auto now = sorted_rows(*connect());
      const auto& saved = rows.at(rest_after(line, keyword));
      for (const auto& [table, before] : saved) {
        INFO("table " << table);
        auto after = now.find(table);
        REQUIRE(after != now.end());
        CHECK(before.columns == after->second.columns);
        CHECK(before.rows == after->second.rows);
      }
      CHECK(saved.size() == now.size());
    } else if (keyword == "sql") {
      connect()->execute(rest_after(line, keyword));
    } else if (keyword == "value") {
      std::string rest = rest_after(line, keyword);
      auto split = rest.rfind(" == ");
      REQUIRE(split != std::string::npos);
      auto connection = migpkg::runtime::open_connection(migpkg::runtime::DatabaseUrl::parse(url));
      auto result = connection->query(rest.substr(0, split));
      REQUIRE_FALSE(result.rows.empty());
      CHECK(result.rows[0][0].value_or("NULL") == rest.substr(split + 4));
    } else if (keyword == "restore-last-backup") {
      std::string rest = line.size() > keyword.size() ? rest_after(line, keyword) : "";
      int expected = 0;
      if (rest.rfind("exit=", 0) == 0) {
        expected = std::stoi(rest.substr(5));
        rest = rest.find(' ') == std::string::npos ? "" : rest.substr(rest.find(' ') + 1);
      }
      last = run_cli("restore '" + last_backup(url) + "' --db '" + url + "' " + expand(rest));
      INFO("stdout: " << last.out << "\nstderr: " << last.err);
      REQUIRE(last.exit_code == expected);
    } else if (keyword == "damage-last-backup") {
      std::string where = line.size() > keyword.size() ? rest_after(line, keyword) : "";
      if (where == "header")
        change_age_header_mac(largest_data_file(last_backup(url)));
      else if (where == "sealed-manifest")
        flip_middle_byte(last_backup(url) + "/manifest.json.age");
      else
        flip_middle_byte(largest_data_file(last_backup(url)));
    } else if (keyword == "uncompress-last-backup") {
      // As migpkg wrote it before backups were compressed; the history follows the new name.
      std::string before = last_backup(url);
      std::string after = make_uncompressed(before);
      connect()->execute("UPDATE migpkg_history SET backup = '" + after + "' WHERE backup = '" +
                         before + "'");
    } else if (keyword == "backdate-backups") {
      int days = std::stoi(rest_after(line, keyword));
      for (const auto& backup : migpkg::runtime::list_backups(backups)) {
        auto manifest = nlohmann::json::parse(read_file(manifest_of(backup)));
        std::time_t created = backup.created_time - static_cast<std::time_t>(days) * 86400;
        char iso[32];
        std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&created));
        manifest["created"] = iso;
        write_file(manifest_of(backup), manifest.dump(2));
      }
    } else if (keyword == "backup-count") {
      CHECK(std::to_string(migpkg::runtime::list_backups(backups).size()) ==
            rest_after(line, keyword));
    } else if (keyword == "put-backup-file") {
      write_file(backups + "/" + rest_after(line, keyword), "not a backup\n");
    } else if (keyword == "has-backup-file") {
      CHECK(read_file(backups + "/" + rest_after(line, keyword)) == "not a backup\n");
    } else if (keyword == "age-keys") {
      // Two age identities: $AGE_IDENTITY (its recipient $AGE_RECIPIENT, also in the recipients
      // file $RECIPIENTS_FILE) and $OTHER_IDENTITY, which opens nothing encrypted to the first.
      std::string keys = make_temp_dir();
      auto identity = migpkg::crypto::generate_age_identity();
      auto other = migpkg::crypto::generate_age_identity();
      write_file(keys + "/id.txt",
                 migpkg::crypto::format_age_identity_file(identity, "2026-12-06T00:00:00Z"));
      write_file(keys + "/other.txt",
                 migpkg::crypto::format_age_identity_file(other, "2026-12-06T00:00:00Z"));
      write_file(keys + "/recipients.txt", "# backups\n" + identity.recipient().text() + "\n");
      variables["$AGE_IDENTITY"] = keys + "/id.txt";
      variables["$OTHER_IDENTITY"] = keys + "/other.txt";
      variables["$RECIPIENTS_FILE"] = keys + "/recipients.txt";
      variables["$AGE_RECIPIENT"] = identity.recipient().text();
      // Two passphrases, on the first line of each file (with a second line that is not read).
      write_file(keys + "/passphrase.txt", "correct horse battery staple\nnot this line\n");
      write_file(keys + "/other-passphrase.txt", "incorrect horse\n");
      variables["$PASSPHRASE_FILE"] = keys + "/passphrase.txt";
      variables["$OTHER_PASSPHRASE_FILE"] = keys + "/other-passphrase.txt";
    } else if (keyword == "config") {
      config = make_temp_dir() + "/config.json";
      write_file(config, rest_after(line, keyword));
    } else {
      FAIL("unknown scenario instruction '" << keyword << "'");
    }
  }
}

}  // namespace

TEST_CASE("runtime scenarios on SQLite", "[scenario][sqlite]") {
  for (const auto& name : list_dir(source_dir() + "/tests/scenarios")) {
    if (name.size() < 9 || name.substr(name.size() - 9) != ".scenario") continue;
    DYNAMIC_SECTION(name) {
      std::string dir = make_temp_dir();
      run_scenario(source_dir() + "/tests/scenarios/" + name, "sqlite:" + dir + "/test.db");
    }
  }
}

// Every scenario on a fresh scratch database of the test server `server_url` names.
static void run_scenarios_on_server(const std::string& server_url, const char* variable) {
  if (server_url.empty()) {
    WARN(std::string("skipped: ") + variable + " is not set");
    return;
  }
  for (const auto& name : list_dir(source_dir() + "/tests/scenarios")) {
    if (name.size() < 9 || name.substr(name.size() - 9) != ".scenario") continue;
    DYNAMIC_SECTION(name) {
      migpkg::runtime::TemporaryDatabase database(server_url, "migpkg_scenario");
      run_scenario(source_dir() + "/tests/scenarios/" + name, database.url());
    }
  }
}

TEST_CASE("runtime scenarios on PostgreSQL", "[scenario][postgresql]") {
  run_scenarios_on_server(postgres_url(), "MIGPKG_TEST_PG_URL");
}

TEST_CASE("runtime scenarios on MariaDB", "[scenario][mysql]") {
  run_scenarios_on_server(mysql_url(), "MIGPKG_TEST_MYSQL_URL");
}
