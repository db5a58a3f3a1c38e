#include "runtime/check/database_copy.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "runtime/backup/backup.hpp"
#include "runtime/check/table_rows.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/engines/sqlite/sqlite_native.hpp"
#include "runtime/history/bookkeeping.hpp"

namespace migpkg::runtime {
namespace {

std::string temp_directory() {
  const char* dir = std::getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

// A new empty file of our own under $TMPDIR, from a mkstemp pattern.
std::string make_temp_file(const std::string& pattern) {
  std::string path = temp_directory() + "/" + pattern;
  int fd = mkstemp(path.data());
  if (fd < 0) throw std::runtime_error("cannot create a scratch file in " + temp_directory());
  close(fd);
  return path;
}

std::string make_temp_dir(const std::string& pattern) {
  std::string path = temp_directory() + "/" + pattern;
  if (!mkdtemp(path.data()))
    throw std::runtime_error("cannot create a scratch directory in " + temp_directory());
  return path;
}

// Read-only through a URI, so nothing (not even a journal) is written next to the original.
std::string read_only_uri(const std::string& path) {
  std::string uri = "file:";
  if (path.empty() || path[0] != '/')
    uri += std::filesystem::absolute(path).string();
  else
    uri += path;
  std::string escaped;
  static const char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : uri) {
    if (c == '%' || c == '?' || c == '#' || c < 0x21 || c >= 0x7F) {
      escaped += '%';
      escaped += kHex[c >> 4];
      escaped += kHex[c & 0xF];
    } else {
      escaped += static_cast<char>(c);
    }
  }
  return escaped + "?mode=ro";
}

std::string quote(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

DatabaseCopy::DatabaseCopy(const std::string& url_text) {
  DatabaseUrl url = DatabaseUrl::parse(url_text);
  engine_ = url.engine;
  if (engine_ == ir::Engine::PostgreSQL)
    copy_postgresql(url_text);
  else
    copy_sqlite(url.path);
}

DatabaseCopy::~DatabaseCopy() {
  connection_.reset();
  if (!scratch_file_.empty()) std::remove(scratch_file_.c_str());
  if (!backup_directory_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(backup_directory_, ignored);
  }
  if (!template_name_.empty()) {
    try {
      open_url(template_server_)
          ->execute("DROP DATABASE IF EXISTS " + quote(template_name_) + " WITH (FORCE)");
    } catch (const std::exception&) {
      // A destructor cannot report; the uniquely named copy is merely left behind.
    }
  }
  scratch_database_.reset();
}

void DatabaseCopy::copy_sqlite(const std::string& path) {
  if (path == ":memory:" || !std::filesystem::exists(path))
    throw std::runtime_error("check --against needs an existing SQLite file; " + path +
                             " does not exist");
  sqlite3* original = nullptr;
  if (sqlite3_open_v2(read_only_uri(path).c_str(), &original,
                      SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) != SQLITE_OK) {
    std::string why = original ? sqlite3_errmsg(original) : "out of memory";
    sqlite3_close(original);
    throw std::runtime_error("cannot open " + path + " read-only: " + why);
  }
  scratch_file_ = make_temp_file("migpkg-check-XXXXXX");
  connection_ = open_sqlite(scratch_file_);
  sqlite3* scratch = sqlite_handle(*connection_);
  sqlite3_backup* backup = sqlite3_backup_init(scratch, "main", original, "main");
  int rc = backup ? sqlite3_backup_step(backup, -1) : sqlite3_errcode(scratch);
  if (backup) sqlite3_backup_finish(backup);
  std::string why = rc == SQLITE_DONE ? "" : sqlite3_errstr(rc);
  sqlite3_close(original);
  if (!why.empty()) throw std::runtime_error("cannot copy " + path + ": " + why);
  url_ = "sqlite:" + scratch_file_;
  method_ = "online backup";
}

void DatabaseCopy::copy_postgresql(const std::string& url) {
  std::string name;
  {
    auto original = open_url(url);
    name = original->query("SELECT current_database()").rows.at(0).at(0).value_or("");
  }
  // An exact copy, when no other session uses the original: CREATE DATABASE ... TEMPLATE
  // refuses otherwise (after waiting five seconds), so the sessions are counted first.
  for (const char* maintenance : {"postgres", "template1"}) {
    std::string server = with_database(url, maintenance);
    std::unique_ptr<Connection> admin;
    try {
      admin = open_url(server);
    } catch (const std::exception&) {
      continue;  // not allowed to connect there: try the next one
    }
    try {
      auto sessions = admin->query(
          "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
          {name});
      if (sessions.rows.at(0).at(0).value_or("1") != "0") break;
      TemporaryDatabase probe(server, "migpkg_check_name");  // reserves a unique name
      std::string copy = probe.name() + "_copy";
      admin->execute("CREATE DATABASE " + quote(copy) + " TEMPLATE " + quote(name));
      template_server_ = server;
      template_name_ = copy;
      url_ = with_database(url, copy);
      connection_ = open_url(url_);
      method_ = "template";
      return;
    } catch (const std::exception&) {
      // No right to copy, or a session came in between: copy the tables instead.
    }
    break;
  }
  scratch_database_ = std::make_unique<TemporaryDatabase>(url, "migpkg_check");
  url_ = scratch_database_->url();
  connection_ = open_url(url_);
  backup_directory_ = make_temp_dir("migpkg-check-XXXXXX");
  auto original = open_url(url);
  BackupInfo backup = take_backup(*original, DatabaseUrl::parse(url), backup_directory_, "check");
  restore_backup(*connection_, DatabaseUrl::parse(url_), backup.path);
  // The backup leaves out migpkg's bookkeeping; which migrations are applied lives there.
  Bookkeeping(*connection_).ensure_tables();
  for (const auto& table : original
                               ->query("SELECT c.relname FROM pg_class c WHERE c.relnamespace = "
                                       "to_regnamespace(current_schema()) AND c.relkind = 'r' AND "
                                       "c.relname LIKE 'migpkg\\_%'")
                               .rows) {
    std::string quoted = quote(table[0].value_or(""));
    ResultSet rows = original->query("SELECT * FROM " + quoted);
    connection_->execute("DELETE FROM " + quoted);
    for (const Row& row : rows.rows) {
      std::string columns, values;
      for (std::size_t i = 0; i < rows.columns.size(); ++i) {
        columns += (i ? ", " : "") + quote(rows.columns[i]);
        values += (i ? ", " : "") + connection_->placeholder(i + 1);
      }
      connection_->execute("INSERT INTO " + quoted + " (" + columns + ") VALUES (" + values + ")",
                           Connection::Params(row.begin(), row.end()));
    }
  }
  method_ = "table copy";
}

}  // namespace migpkg::runtime
