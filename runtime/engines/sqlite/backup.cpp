// SQLite backups: the whole database copied page by page with the online backup API, then
// zstd-compressed into "<label>-<UTC time>.sqlite.zst", plus "<that file>.manifest.json" with
// per-table row counts and hashes over a canonical dump of the rows (migpkg_* tables excluded:
// they are migpkg's own) and the SHA-256 of the uncompressed file. SQLite cannot open a
// compressed file, so verification and restore expand it into a private scratch file first.
// Backups written before compression (a plain "<label>-<UTC time>.sqlite") still verify and
// restore.
//
// Restore keeps migpkg's bookkeeping tables as they are now, not as they were in the backup, so
// that the history of what was applied, rolled back and restored stays true; a restore per
// plugin (a scope) keeps every table outside the plugin as it is now too. It does so without
// ever leaving the database half-restored: the backup is first copied into a private staging
// file, the staging copy gets the live tables that stay (definitions, rows, indexes, triggers,
// AUTOINCREMENT counters) in place of the backup's, and only then is the staging file copied
// into the live connection with one backup-API pass, which SQLite commits atomically.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "runtime/backup/backup_internal.hpp"
#include "runtime/engines/sqlite/sqlite_engine.hpp"
#include "runtime/engines/sqlite/sqlite_native.hpp"

namespace migpkg::runtime::backup_detail {
namespace {

constexpr int kBusyWaitMs = 5000;  // as long as the driver's default lock wait

class Database {
 public:
  Database() = default;
  ~Database() { sqlite3_close_v2(db_); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  sqlite3*& slot() { return db_; }
  sqlite3* get() const { return db_; }
  void close() {
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }

 private:
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) {
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &statement_, nullptr) !=
        SQLITE_OK)
      throw BackupError(std::string(sqlite3_errmsg(db)) + " (in: " + sql + ")");
  }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return statement_; }

  // SQLITE_ROW or SQLITE_DONE; anything else is an error naming the statement.
  int step() {
    int rc = sqlite3_step(statement_);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      throw BackupError(std::string(sqlite3_errmsg(sqlite3_db_handle(statement_))) +
                        " (in: " + sqlite3_sql(statement_) + ")");
    return rc;
  }
  std::string text(int column) const {
    const unsigned char* value = sqlite3_column_text(statement_, column);
    return value ? std::string(reinterpret_cast<const char*>(value),
                               static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)))
                 : std::string();
  }

 private:
  sqlite3_stmt* statement_ = nullptr;
};

void exec(sqlite3* db, const std::string& sql, const std::string& what) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db);
    sqlite3_free(message);
    throw BackupError(what + ": " + text);
  }
}

std::string quote(const std::string& identifier) {
  std::string out = "\"";
  for (char c : identifier) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

bool starts_with(const std::string& text, const char* prefix) {
  return text.compare(0, std::strlen(prefix), prefix) == 0;
}

bool starts_with_nocase(const std::string& text, const char* prefix) {
  return sqlite3_strnicmp(text.c_str(), prefix, static_cast<int>(std::strlen(prefix))) == 0;
}

bool is_bookkeeping(const std::string& table) {
  return starts_with(table, "migpkg_");
}

// Opens a backup file without any chance of writing to it: read-only, and "immutable" so that
// SQLite neither locks it nor looks for (or creates) journal files next to it.
void open_backup_file(Database& database, const std::string& path) {
  std::string uri = "file:";
  std::size_t start = path.find_first_not_of('/');
  if (start != 0) uri += "/";  // "file://x" would read "x" as a host name
  if (start == std::string::npos) start = path.size();
  static const char kHex[] = "0123456789ABCDEF";
  for (std::size_t i = start; i < path.size(); ++i) {
    auto c = static_cast<unsigned char>(path[i]);
    if (c == '%' || c == '?' || c == '#' || c < 0x21 || c >= 0x7F) {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 0xF];
    } else {
      uri += static_cast<char>(c);
    }
  }
  uri += "?mode=ro&immutable=1";
  if (sqlite3_open_v2(uri.c_str(), &database.slot(), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
                      nullptr) != SQLITE_OK)
    throw BackupError("cannot open backup file " + path + ": " +
                      (database.get() ? sqlite3_errmsg(database.get()) : "out of memory"));
}

void open_private_file(Database& database, const std::string& path) {
  if (sqlite3_open_v2(path.c_str(), &database.slot(), SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    throw BackupError("cannot open " + path + ": " +
                      (database.get() ? sqlite3_errmsg(database.get()) : "out of memory"));
  sqlite3_extended_result_codes(database.get(), 1);
}

int page_size(sqlite3* db) {
  Statement statement(db, "PRAGMA main.page_size");
  return statement.step() == SQLITE_ROW ? sqlite3_column_int(statement.get(), 0) : 0;
}

// Copies database `from` into `to` in one step, so the destination changes in one transaction.
// A busy source or destination is retried as long as the driver itself would wait.
void copy_database(sqlite3* to, sqlite3* from, const std::string& what) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (!backup) throw BackupError(what + ": " + sqlite3_errmsg(to));
  int rc = SQLITE_OK;
  // Counted in time, not in tries: a step on the driver's connection has already waited its
  // lock wait (--lock-timeout) in SQLite's busy handler before it returns SQLITE_BUSY.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyWaitMs);
  for (;;) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_DONE) break;
    int primary = rc & 0xFF;
    if ((primary == SQLITE_BUSY || primary == SQLITE_LOCKED) &&
        std::chrono::steady_clock::now() < deadline) {
      sqlite3_sleep(50);
      continue;
    }
    break;
  }
  sqlite3_backup_finish(backup);
  if (rc == SQLITE_DONE) return;
  if ((rc & 0xFF) == SQLITE_BUSY)
    throw LockTimeout(what + ": another connection holds the database's write lock");
  std::string message = sqlite3_errstr(rc);
  if ((rc & 0xFF) == SQLITE_READONLY)
    message += " (an in-memory or WAL-mode database cannot change its page size: it is " +
               std::to_string(page_size(to)) + ", the backup's is " +
               std::to_string(page_size(from)) + ")";
  throw BackupError(what + ": " + message);
}

struct TableShape {
  std::vector<std::string> columns;  // stored (non-generated) columns, in table order
  std::string order_by;              // primary key, then rowid when there is one
};

TableShape table_shape(sqlite3* db, const std::string& table) {
  TableShape shape;
  std::vector<std::pair<int, std::string>> key;
  {
    Statement info(db, "PRAGMA main.table_xinfo(" + quote(table) + ")");
    while (info.step() == SQLITE_ROW) {
      // hidden: 0 stored column, 1 hidden column of a virtual table, 2/3 generated column.
      if (sqlite3_column_int(info.get(), 6) != 0) continue;
      shape.columns.push_back(info.text(1));
      int pk = sqlite3_column_int(info.get(), 5);
      if (pk > 0) key.emplace_back(pk, info.text(1));
    }
  }
  std::sort(key.begin(), key.end());
  std::vector<std::string> order;
  for (const auto& part : key) order.push_back(quote(part.second));
  // A rowid table without an INTEGER PRIMARY KEY may even hold several NULL keys, so its rowid
  // is added to make the order total; a column may shadow one of the rowid's three names.
  for (const char* alias : {"rowid", "_rowid_", "oid"}) {
    bool shadowed = false;
    for (const auto& column : shape.columns)
      shadowed = shadowed || sqlite3_stricmp(column.c_str(), alias) == 0;
    if (shadowed) continue;
    sqlite3_stmt* probe = nullptr;
    std::string sql = std::string("SELECT ") + alias + " FROM main." + quote(table);
    bool rowid_table = sqlite3_prepare_v2(db, sql.c_str(), -1, &probe, nullptr) == SQLITE_OK;
    sqlite3_finalize(probe);
    if (rowid_table) order.push_back(alias);
    break;
  }
  if (order.empty())  // only when every rowid name is a column: all columns then
    for (const auto& column : shape.columns) order.push_back(quote(column));
  for (std::size_t i = 0; i < order.size(); ++i) shape.order_by += (i ? ", " : "") + order[i];
  return shape;
}

// Length-prefixed so that no value can imitate the boundary of another.
void put(Sha256& hash, char tag, const void* data, std::size_t size) {
  std::string head = std::string(1, tag) + std::to_string(size) + ":";
  hash.update(head);
  hash.update(data, size);
}

// The canonical dump of one table: its name and columns, then every row in key order, each value
// tagged with its storage class (so 1, 1.0, '1' and x'31' all differ), reals by their bits.
TableDigest digest_table(sqlite3* db, const std::string& table) {
  TableShape shape = table_shape(db, table);
  Sha256 hash;
  put(hash, 'T', table.data(), table.size());
  std::string select;
  for (const auto& column : shape.columns) {
    put(hash, 'C', column.data(), column.size());
    select += (select.empty() ? "" : ", ") + quote(column);
  }
  Statement rows(db,
                 "SELECT " + select + " FROM main." + quote(table) + " ORDER BY " + shape.order_by);
  TableDigest digest{"", table, 0, ""};
  int columns = static_cast<int>(shape.columns.size());
  while (rows.step() == SQLITE_ROW) {
    ++digest.rows;
    hash.update("R");
    for (int i = 0; i < columns; ++i) {
      sqlite3_stmt* row = rows.get();
      switch (sqlite3_column_type(row, i)) {
        case SQLITE_NULL:
          hash.update("N");
          break;
        case SQLITE_INTEGER: {
          std::string value = std::to_string(sqlite3_column_int64(row, i));
          put(hash, 'I', value.data(), value.size());
          break;
        }
        case SQLITE_FLOAT: {
          double value = sqlite3_column_double(row, i);
          unsigned char bits[sizeof value];
          std::memcpy(bits, &value, sizeof value);
          put(hash, 'F', bits, sizeof bits);
          break;
        }
        case SQLITE_TEXT: {
          const unsigned char* text = sqlite3_column_text(row, i);
          put(hash, 'S', text, static_cast<std::size_t>(sqlite3_column_bytes(row, i)));
          break;
        }
        default: {
          const void* blob = sqlite3_column_blob(row, i);
          put(hash, 'B', blob, static_cast<std::size_t>(sqlite3_column_bytes(row, i)));
          break;
        }
      }
    }
  }
  digest.sha256 = hash.hex_digest();
  return digest;
}

// The ordinary tables of "main": user tables, or with `bookkeeping` migpkg's own. SQLite's
// internal tables are left out, and so are virtual tables (their rows live in shadow tables,
// which are ordinary tables and included).
std::vector<std::string> table_names(sqlite3* db, bool bookkeeping) {
  std::vector<std::string> names;
  Statement tables(db,
                   "SELECT name, sql FROM main.sqlite_master WHERE type = 'table' ORDER BY name");
  while (tables.step() == SQLITE_ROW) {
    std::string name = tables.text(0);
    std::string sql = tables.text(1);
    if (starts_with_nocase(name, "sqlite_")) continue;
    std::size_t start = sql.find_first_not_of(" \t\r\n");
    if (start != std::string::npos && starts_with_nocase(sql.substr(start), "CREATE VIRTUAL"))
      continue;
    if (is_bookkeeping(name) == bookkeeping) names.push_back(name);
  }
  return names;
}

std::vector<TableDigest> digest_database(sqlite3* db, bool bookkeeping) {
  std::vector<TableDigest> digests;
  for (const auto& name : table_names(db, bookkeeping)) digests.push_back(digest_table(db, name));
  return digests;
}

nlohmann::json manifest_json(const std::vector<TableDigest>& tables, const std::string& created,
                             const std::string& label, const std::string& database,
                             const std::string& file_sha256, int pages) {
  // Absolute, so `migpkg backups` matches the backup to its database from any directory.
  std::string absolute = database;
  if (!absolute.empty() && absolute[0] != '/' && absolute != ":memory:") {
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd)) absolute = std::string(cwd) + "/" + absolute;
  }
  nlohmann::json list = nlohmann::json::array();
  std::int64_t total = 0;
  for (const auto& table : tables) {
    list.push_back({{"name", table.name}, {"rows", table.rows}, {"sha256", table.sha256}});
    total += table.rows;
  }
  return {{"format", kFormat},
          {"engine", "sqlite"},
          {"created", created},
          {"label", label},
          {"database", absolute},
          {"compression", kCompression},
          {"sqlite_version", sqlite3_libversion()},
          {"page_size", pages},
          {"file_sha256", file_sha256},
          {"sha256", overall_sha256(tables)},
          {"total_rows", total},
          {"tables", list}};
}

// Whether a table (by name) keeps its live contents through a restore: migpkg's own tables
// always, and in a restore per plugin every table outside the scope.
using StaysLive = std::function<bool(const std::string&)>;

std::vector<TableDigest> digest_tables(sqlite3* db, const StaysLive& wanted) {
  std::vector<TableDigest> digests;
  for (bool bookkeeping : {false, true})
    for (const auto& name : table_names(db, bookkeeping))
      if (wanted(name)) digests.push_back(digest_table(db, name));
  return digests;
}

// Replaces the tables of `staging` that stay live with those of `live`: definitions, rows, then
// indexes, views and triggers (created after the rows so that no trigger fires), and their
// AUTOINCREMENT counters. A table that stays live and exists only in the backup goes.
void carry_live_tables(sqlite3* live, sqlite3* staging, const StaysLive& stays) {
  exec(staging, "BEGIN", "cannot prepare the restore");
  {
    std::vector<std::pair<std::string, std::string>> dropped;
    Statement staged(staging,
                     "SELECT type, name FROM main.sqlite_master WHERE type IN ('view', 'table') "
                     "AND substr(name, 1, 7) <> 'sqlite_' ORDER BY type DESC, name");
    while (staged.step() == SQLITE_ROW)
      if (stays(staged.text(1))) dropped.emplace_back(staged.text(0), staged.text(1));
    for (const auto& [type, name] : dropped)
      exec(staging, (type == "view" ? "DROP VIEW main." : "DROP TABLE main.") + quote(name),
           "cannot prepare the restore");
  }

  Statement objects(live,
                    "SELECT type, name, sql, tbl_name FROM main.sqlite_master "
                    "WHERE sql IS NOT NULL AND substr(name, 1, 7) <> 'sqlite_' "
                    "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 "
                    "WHEN 'view' THEN 2 ELSE 3 END, rowid");
  while (objects.step() == SQLITE_ROW) {
    std::string type = objects.text(0), name = objects.text(1), sql = objects.text(2);
    if (!stays(objects.text(3))) continue;
    exec(staging, sql, "cannot recreate " + type + " " + name + " for the restore");
    if (type != "table") continue;
    TableShape shape = table_shape(live, name);
    std::string columns, placeholders;
    for (std::size_t i = 0; i < shape.columns.size(); ++i) {
      columns += (i ? ", " : "") + quote(shape.columns[i]);
      placeholders += (i ? ", ?" : "?");
    }
    Statement read(
        live, "SELECT " + columns + " FROM main." + quote(name) + " ORDER BY " + shape.order_by);
    Statement write(staging, "INSERT INTO main." + quote(name) + " (" + columns + ") VALUES (" +
                                 placeholders + ")");
    while (read.step() == SQLITE_ROW) {
      for (int i = 0; i < static_cast<int>(shape.columns.size()); ++i)
        sqlite3_bind_value(write.get(), i + 1, sqlite3_column_value(read.get(), i));
      write.step();
      sqlite3_reset(write.get());
    }
  }

  bool live_counters = false;
  {
    Statement probe(live, "SELECT 1 FROM main.sqlite_master WHERE name = 'sqlite_sequence'");
    live_counters = probe.step() == SQLITE_ROW;
  }
  if (live_counters) {
    Statement counters(live, "SELECT name, seq FROM main.sqlite_sequence");
    while (counters.step() == SQLITE_ROW) {
      if (!stays(counters.text(0))) continue;
      Statement remove(staging, "DELETE FROM main.sqlite_sequence WHERE name = ?1");
      sqlite3_bind_value(remove.get(), 1, sqlite3_column_value(counters.get(), 0));
      remove.step();
      Statement insert(staging, "INSERT INTO main.sqlite_sequence (name, seq) VALUES (?1, ?2)");
      sqlite3_bind_value(insert.get(), 1, sqlite3_column_value(counters.get(), 0));
      sqlite3_bind_value(insert.get(), 2, sqlite3_column_value(counters.get(), 1));
      insert.step();
    }
  }
  exec(staging, "COMMIT", "cannot prepare the restore");
}

// A private scratch file for the restore: next to the backup if that directory is writable,
// else in $TMPDIR.
std::string staging_file(const std::string& data_path, Cleanup& cleanup,
                         const char* purpose = ".restore") {
  std::vector<std::string> directories{parent_directory(data_path)};
  const char* tmpdir = std::getenv("TMPDIR");
  directories.push_back(tmpdir && *tmpdir ? tmpdir : "/tmp");
  std::string last_error;
  for (const auto& directory : directories) {
    std::string path = temp_path(directory, base_name(data_path) + purpose);
    try {
      create_private_file(path);
    } catch (const BackupError& error) {
      last_error = error.what();
      continue;
    }
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) cleanup.add(path + suffix);
    return path;
  }
  throw BackupError("cannot create a staging file for the restore: " + last_error);
}

// Checks the backup file's bytes against the manifest's file_sha256 and returns the path of the
// plain database file to open: the file itself, or for a compressed backup a private expanded
// copy (which `cleanup` removes). A compressed file that is damaged fails here, before SQLite
// opens anything.
std::string checked_plain_file(const std::string& data_path, const nlohmann::json& manifest,
                               const std::string& manifest_path, Cleanup& cleanup) {
  if (!exists(data_path)) throw BackupError("backup file " + data_path + " does not exist");
  std::string recorded = string_member(manifest, "file_sha256", manifest_path);
  std::string plain = data_path, found;
  if (is_compressed(data_path)) {
    plain = staging_file(data_path, cleanup, ".expanded");
    unlink(plain.c_str());  // the name is private; expand_data_file creates it again, O_EXCL
    found = expand_data_file(data_path, plain);
  } else {
    found = sha256_of_file(data_path);
  }
  if (found != recorded)
    throw BackupError("backup file " + data_path +
                      " was modified or damaged after it was written (sha256 " + found +
                      ", the manifest records " + recorded + ")");
  return plain;
}

// The manifest's tables, after the file was checked against it: the file's SHA-256, then every
// table's rows. `plain` receives the file to open (see checked_plain_file).
std::vector<TableDigest> verified_tables(const std::string& data_path,
                                         const std::string& manifest_path, Cleanup& cleanup,
                                         std::string& plain) {
  nlohmann::json manifest = read_manifest(manifest_path);
  if (string_member(manifest, "engine", manifest_path) != "sqlite")
    throw BackupError("backup manifest " + manifest_path + " is not for a SQLite backup");
  std::vector<TableDigest> tables = manifest_tables(manifest, manifest_path);
  plain = checked_plain_file(data_path, manifest, manifest_path, cleanup);
  Database backup;
  open_backup_file(backup, plain);
  compare_digests(tables, digest_database(backup.get(), false), "backup file " + data_path);
  return tables;
}

}  // namespace

BackupInfo take_sqlite_backup(Connection& connection, const DatabaseUrl& url,
                              const std::string& directory, const std::string& label) {
  sqlite3* source = sqlite_handle(connection);
  ensure_directory(directory);
  Timestamps now = utc_timestamps();
  std::string base = safe_label(label) + "-" + now.compact;
  std::string temp = temp_path(directory, base + ".sqlite");
  std::string temp_manifest = temp + ".manifest.json";
  Cleanup cleanup;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) cleanup.add(temp + suffix);
  cleanup.add(temp_manifest);

  // Created by us first so the file is 0600 whatever the umask; SQLite then opens it as is.
  create_private_file(temp);
  Database copy;
  open_private_file(copy, temp);

  // One read transaction on the source around both the canonical dump and the page copy, so
  // the manifest describes exactly the pages that were copied.
  std::vector<TableDigest> tables;
  exec(source, "BEGIN DEFERRED", "cannot start reading the database");
  try {
    tables = digest_database(source, false);
    copy_database(copy.get(), source, "cannot copy the database into " + temp);
    exec(source, "COMMIT", "cannot finish reading the database");
  } catch (...) {
    sqlite3_exec(source, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  // A WAL-mode source leaves the copy marked WAL; a backup must be one self-contained file.
  exec(copy.get(), "PRAGMA main.journal_mode = DELETE", "cannot finish " + temp);
  int pages = page_size(copy.get());
  copy.close();
  fsync_path(temp);

  // Verify what actually reached the disk, through a fresh read-only connection.
  {
    Database written;
    open_backup_file(written, temp);
    compare_digests(tables, digest_database(written.get(), false), "the backup just written");
  }
  std::string file_sha256 = sha256_of_file(temp);

  // Compressed, and the compressed file read back: it must expand to the very bytes verified.
  std::string packed = temp_path(directory, base + ".sqlite" + kCompressedSuffix);
  cleanup.add(packed);
  compress_file(temp, packed);
  std::string expanded_sha256;
  {
    Sha256 hash;
    read_data_file(packed, true,
                   [&](const char* data, std::size_t size) { hash.update(data, size); });
    expanded_sha256 = hash.hex_digest();
  }
  if (expanded_sha256 != file_sha256)
    throw BackupError("the compressed backup " + packed + " does not expand to the copy taken");
  unlink(temp.c_str());

  write_private_file(temp_manifest, manifest_text(manifest_json(tables, now.iso, label, url.path,
                                                                file_sha256, pages)));
  std::string final_path =
      publish_unique(packed, directory, base, std::string(".sqlite") + kCompressedSuffix);
  cleanup.add(final_path);  // removed again if its manifest cannot be put next to it
  publish_exact(temp_manifest, final_path + ".manifest.json");
  fsync_path(directory);
  cleanup.disarm();
  return info_from(final_path, "sqlite", tables);
}

BackupInfo verify_sqlite_backup(const std::string& data_path, const std::string& manifest_path) {
  Cleanup cleanup;
  std::string plain;
  return info_from(data_path, "sqlite", verified_tables(data_path, manifest_path, cleanup, plain));
}

void restore_sqlite_backup(Connection& connection, const std::string& data_path,
                           const std::string& manifest_path, const RestoreScope* scope) {
  Cleanup cleanup;
  std::string plain;
  std::vector<TableDigest> expected = verified_tables(data_path, manifest_path, cleanup, plain);
  sqlite3* live = sqlite_handle(connection);

  std::string staging_path = staging_file(data_path, cleanup);
  Database staging;
  open_private_file(staging, staging_path);
  {
    Database backup;
    open_backup_file(backup, plain);
    copy_database(staging.get(), backup.get(), "cannot stage backup " + data_path);
  }
  // The staged copy is what will be restored: check it, not only the file it came from.
  compare_digests(expected, digest_database(staging.get(), false), "the staged copy of the backup");

  const StaysLive stays = [scope](const std::string& name) {
    return is_bookkeeping(name) || (scope && !scope->covers(name));
  };
  const StaysLive restored = [&stays](const std::string& name) { return !stays(name); };
  std::vector<TableDigest> expected_restored;
  for (const auto& table : expected)
    if (restored(table.name)) expected_restored.push_back(table);

  std::vector<TableDigest> live_before = digest_tables(live, stays);
  carry_live_tables(live, staging.get(), stays);
  compare_digests(live_before, digest_tables(staging.get(), stays), "the staged tables kept",
                  "the database before the restore");

  copy_database(live, staging.get(), "cannot restore " + data_path + " into the database");
  staging.close();

  // The live connection sees the restored pages now; check them as the manifest describes them.
  compare_digests(expected_restored, digest_tables(live, restored),
                  "the database after the restore");
  compare_digests(live_before, digest_tables(live, stays),
                  "the database's kept tables after the restore",
                  "the database before the restore");
}

}  // namespace migpkg::runtime::backup_detail
