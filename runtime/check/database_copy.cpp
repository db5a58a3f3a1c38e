#include "runtime/check/database_copy.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "runtime/backup/backup.hpp"
#include "runtime/history/bookkeeping.hpp"

namespace migpkg::runtime {
namespace {

std::string temp_directory() {
  const char* dir = std::getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

std::string make_temp_dir(const std::string& pattern) {
  std::string path = temp_directory() + "/" + pattern;
  if (!mkdtemp(path.data()))
    throw std::runtime_error("cannot create a scratch directory in " + temp_directory());
  return path;
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
  exact_copy_ = engine_of(url).exact_copy(url, method_);
  if (exact_copy_) {
    url_ = exact_copy_->url();
    connection_ = open_url(url_);
    return;
  }
  copy_tables(url_text);
}

DatabaseCopy::~DatabaseCopy() {
  connection_.reset();
  if (!backup_directory_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(backup_directory_, ignored);
  }
  exact_copy_.reset();
  scratch_database_.reset();
}

void DatabaseCopy::copy_tables(const std::string& url) {
  scratch_database_ = std::make_unique<TemporaryDatabase>(url, "migpkg_check");
  url_ = scratch_database_->url();
  connection_ = open_url(url_);
  backup_directory_ = make_temp_dir("migpkg-check-XXXXXX");
  auto original = open_url(url);
  BackupInfo backup = take_backup(*original, DatabaseUrl::parse(url), backup_directory_, "check");
  restore_backup(*connection_, DatabaseUrl::parse(url_), backup.path);
  // The backup leaves out migpkg's bookkeeping; which migrations are applied lives there.
  Bookkeeping(*connection_).ensure_tables();
  for (const auto& object : engine_of(*original).list_objects(*original).rows) {
    std::string name = object[1].value_or("");
    if (object[0].value_or("") != "table" || name.rfind("migpkg_", 0) != 0) continue;
    // Only the bookkeeping tables: an engine's own (MySQL's migpkg_lock_holder, the run lock's
    // holder) belong to the original's sessions and are not in the copy.
    if (!engine_of(*connection_).own_table_exists(*connection_, name)) continue;
    std::string quoted = quote(name);
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
