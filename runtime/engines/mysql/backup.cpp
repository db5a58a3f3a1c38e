// MySQL / MariaDB backups (backup.hpp): taken in one consistent-snapshot, read-only
// transaction, so every InnoDB table comes from the same moment; written under a temporary name,
// checked against what was read, then renamed into place; verified by recounting and rehashing.
#include "runtime/engines/mysql/backup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "compiler/util/percent_encoding.hpp"
#include "runtime/engines/mysql/mysql_engine.hpp"

namespace migpkg::runtime::mysql {

using namespace backup_detail;

namespace {

std::string text(const std::optional<std::string>& value) {
  return value.value_or("");
}

std::vector<BackupTable> read_catalog(MysqlConnection& connection) {
  std::vector<BackupTable> tables;
  for (const std::string& name : mysql_engine().user_tables(connection)) {
    BackupTable table;
    table.name = name;
    // Every byte outside [A-Za-z0-9_-] as %XX: one-to-one, and never a path separator.
    table.file = percent_encode(name, "_-") + ".rows" + kCompressedSuffix;
    for (const Row& row :
         connection
             .query("SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, GENERATION_EXPRESSION FROM "
                    "information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
                    "TABLE_NAME = $1 ORDER BY ORDINAL_POSITION",
                    {name})
             .rows)
      table.columns.push_back(
          {text(row[0]), text(row[1]), text(row[2]) == "NO", !text(row[3]).empty()});
    table.primary_key = mysql_engine().primary_key(connection, quote_name(name));
    table.create_table =
        text(connection.query("SHOW CREATE TABLE " + quote_name(name)).rows.at(0)[1]);
    tables.push_back(std::move(table));
  }
  return tables;
}

nlohmann::json manifest_json(const std::vector<BackupTable>& tables,
                             const std::vector<TableDigest>& digests, const std::string& created,
                             const std::string& label, const std::string& database,
                             const std::string& server_version) {
  nlohmann::json list = nlohmann::json::array();
  std::int64_t total = 0;
  for (const auto& table : tables) {
    list.push_back(to_json(table));
    total += table.rows;
  }
  return {{"format", kFormat},
          {"engine", "mysql"},
          {"created", created},
          {"label", label},
          {"database", database},
          {"server_version", server_version},
          {"data_format", "one line per row, tab-separated, \\N for NULL, time zone +00:00"},
          {"compression", kCompression},
          {"sha256", overall_sha256(digests)},
          {"total_rows", total},
          {"tables", list}};
}

}  // namespace

nlohmann::json to_json(const BackupTable& table) {
  nlohmann::json columns = nlohmann::json::array();
  for (const auto& column : table.columns)
    columns.push_back({{"name", column.name},
                       {"type", column.type},
                       {"not_null", column.not_null},
                       {"generated", column.generated}});
  return {{"name", table.name},
          {"file", table.file},
          {"rows", table.rows},
          {"sha256", table.sha256},
          {"columns", columns},
          {"primary_key", table.primary_key},
          {"create_table", table.create_table}};
}

BackupTable table_from_json(const nlohmann::json& json, const std::string& manifest_path) {
  try {
    BackupTable table;
    table.name = json.at("name").get<std::string>();
    table.file = json.at("file").get<std::string>();
    table.rows = json.at("rows").get<std::int64_t>();
    table.sha256 = json.at("sha256").get<std::string>();
    for (const auto& entry : json.at("columns"))
      table.columns.push_back(
          {entry.at("name").get<std::string>(), entry.at("type").get<std::string>(),
           entry.at("not_null").get<bool>(), entry.at("generated").get<bool>()});
    table.primary_key = json.at("primary_key").get<std::vector<std::string>>();
    table.create_table = json.at("create_table").get<std::string>();
    // The file name comes from the manifest: it must stay inside the backup directory.
    if (table.file.empty() || table.file[0] == '.' || table.file.find('/') != std::string::npos)
      throw BackupError("backup manifest " + manifest_path + " names an unsafe data file \"" +
                        table.file + "\"");
    return table;
  } catch (const nlohmann::json::exception& error) {
    throw BackupError("backup manifest " + manifest_path + " is damaged: " + error.what());
  }
}

std::vector<std::string> copied_columns(const BackupTable& table) {
  std::vector<std::string> names;
  for (const auto& column : table.columns)
    if (!column.generated) names.push_back(column.name);
  return names;
}

std::string ordered_select(const BackupTable& table) {
  std::string list, order;
  for (const auto& column : table.columns) {
    if (column.generated) continue;
    const std::string& name = column.name;
    // The server prints a FLOAT with six significant digits, which may not give the same value
    // back; as a DOUBLE it prints with enough digits to, and a FLOAT column rounds it back to the
    // very same value.
    bool single_precision = column.type.rfind("float", 0) == 0;
    list += (list.empty() ? "" : ", ") +
            (single_precision ? "(" + quote_name(name) + " + 0e0)" : quote_name(name));
    // Without a key, rows order by their bytes: rows that tie are identical, so the text is stable.
    order += (order.empty() ? "" : ", ") + ("CAST(" + quote_name(name) + " AS BINARY)");
  }
  if (!table.primary_key.empty()) {
    order.clear();
    for (const auto& name : table.primary_key)
      order += (order.empty() ? "" : ", ") + quote_name(name);
  }
  return "SELECT " + list + " FROM " + quote_name(table.name) +
         (order.empty() ? "" : " ORDER BY " + order);
}

TableRead read_table(MysqlConnection& connection, const BackupTable& table,
                     const std::string& file) {
  TableRead read;
  Sha256 hash;
  std::optional<PrivateWriter> writer;
  if (!file.empty()) writer.emplace(file, is_compressed(file));
  connection.stream(
      ordered_select(table), [](const std::vector<std::string>&) {},
      [&](const Row& row) {
        std::string line = encode_row(row);
        hash.update(line);
        if (writer) writer->write(line);
        ++read.rows;
      });
  if (writer) writer->close();
  read.sha256 = hash.hex_digest();
  return read;
}

TableRead hash_file(const std::string& path) {
  LineFileDigest digest = digest_line_file(path);
  TableRead out;
  out.rows = digest.rows;
  out.sha256 = digest.sha256;
  return out;
}

UtcSession::UtcSession(MysqlConnection& connection) : connection_(connection) {
  previous_ = connection_.query("SELECT @@session.time_zone").rows.at(0)[0].value_or("SYSTEM");
  connection_.execute("SET SESSION time_zone = '+00:00'");
}

UtcSession::~UtcSession() {
  try {
    connection_.execute("SET SESSION time_zone = $1", {previous_});
  } catch (const std::exception&) {
    // The connection is gone; so is its session.
  }
}

BackupInfo MysqlEngine::take_backup(Connection& connection, const DatabaseUrl& url,
                                    const std::string& directory, const std::string& label) const {
  (void)url;  // the connection already reaches the database; the URL may hold a password
  MysqlConnection& db = as_mysql(connection);
  if (db.in_transaction())
    throw BackupError("backup must run outside a transaction (it opens its own)");
  ensure_directory(directory);
  Timestamps now = utc_timestamps();
  std::string base = safe_label(label) + "-" + now.compact;
  std::string temp = temp_path(directory, base);
  Cleanup cleanup;
  if (mkdir(temp.c_str(), 0700) != 0)
    throw BackupError("cannot create " + temp + ": " + std::strerror(errno));
  cleanup.add(temp);

  UtcSession utc(db);
  std::vector<BackupTable> tables;
  std::vector<TableDigest> digests;
  std::string database = text(db.query("SELECT DATABASE()").rows.at(0)[0]);
  if (database.empty()) throw BackupError("the MySQL URL names no database to back up");
  db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  db.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
  try {
    tables = read_catalog(db);
    for (auto& table : tables) {
      TableRead read;
      try {
        read = read_table(db, table, temp + "/" + table.file);
      } catch (const DatabaseError& error) {
        throw BackupError("cannot copy table " + table.name + ": " + error.what());
      }
      std::int64_t counted = std::stoll(
          text(db.query("SELECT COUNT(*) FROM " + quote_name(table.name)).rows.at(0)[0]));
      if (counted != read.rows)
        throw BackupError("table " + table.name + ": read " + std::to_string(read.rows) +
                          " rows, COUNT(*) " + std::to_string(counted));
      table.rows = read.rows;
      table.sha256 = read.sha256;
      digests.push_back({"", table.name, table.rows, table.sha256});
    }
    db.commit();
  } catch (...) {
    try {
      if (db.in_transaction()) db.rollback();
    } catch (const std::exception&) {
    }
    throw;
  }

  for (const auto& table : tables) {
    TableRead written = hash_file(temp + "/" + table.file);
    if (written.rows != table.rows || written.sha256 != table.sha256)
      throw BackupError("backup file " + temp + "/" + table.file +
                        " does not hold what was read from table " + table.name);
  }
  write_private_file(
      temp + "/manifest.json",
      manifest_text(manifest_json(tables, digests, now.iso, label, database, db.server_version())));
  fsync_path(temp);
  std::string final_path = publish_unique(temp, directory, base, "");
  fsync_path(directory);
  cleanup.disarm();
  return info_from(final_path, "mysql", digests);
}

BackupInfo MysqlEngine::verify_backup(const std::string& directory) const {
  std::string manifest_path = directory + "/manifest.json";
  nlohmann::json manifest = read_manifest(manifest_path);
  if (string_member(manifest, "engine", manifest_path) != "mysql")
    throw BackupError("backup manifest " + manifest_path + " is not for a MySQL backup");
  std::vector<TableDigest> digests = manifest_tables(manifest, manifest_path);
  for (const auto& entry : member(manifest, "tables", manifest_path)) {
    BackupTable table = table_from_json(entry, manifest_path);
    std::string file = directory + "/" + table.file;
    if (!exists(file))
      throw BackupError("table " + table.name + ": backup file " + file + " is missing");
    TableRead found = hash_file(file);
    if (found.rows != table.rows)
      throw BackupError("table " + table.name + ": backup file " + file + " holds " +
                        std::to_string(found.rows) + " rows, the manifest records " +
                        std::to_string(table.rows));
    if (found.sha256 != table.sha256)
      throw BackupError("table " + table.name + ": backup file " + file +
                        " was modified or damaged after it was written (sha256 " + found.sha256 +
                        ", the manifest records " + table.sha256 + ")");
  }
  return info_from(directory, "mysql", digests);
}

}  // namespace migpkg::runtime::mysql
