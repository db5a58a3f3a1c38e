// PostgreSQL backups: a directory "<label>-<UTC time>/" holding manifest.json and one
// "<schema>.<table>.copy" file (COPY text format) per user table. Everything is read in one
// REPEATABLE READ READ ONLY transaction, so all tables come from the same snapshot. The
// transaction is opened with the Connection's own begin() (then SET TRANSACTION), so the
// driver's transaction bookkeeping stays right; the caller must not be inside a transaction.
// Sequences are not transactional: their values are read at the time of the backup, never
// behind the snapshot, so continuing from them after a restore cannot reuse an identifier.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <pqxx/pqxx>

#include "compiler/util/percent_encoding.hpp"
#include "runtime/engines/postgresql/backup_postgresql.hpp"
#include "runtime/engines/postgresql/postgresql_engine.hpp"
#include "runtime/engines/postgresql/postgresql_native.hpp"

namespace migpkg::runtime::backup_detail {

const char* const kSessionSettings =
    "SELECT pg_catalog.set_config('search_path', '', true); "
    "SET LOCAL client_encoding = 'UTF8'; SET LOCAL DateStyle = 'ISO, MDY'; "
    "SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 3; "
    "SET LOCAL bytea_output = 'hex'; SET LOCAL TimeZone = 'UTC'; "
    "SET LOCAL standard_conforming_strings = on; SET LOCAL statement_timeout = 0";

namespace {

std::string text(const std::optional<std::string>& value) {
  return value.value_or("");
}
bool truth(const std::optional<std::string>& value) {
  return value && *value == "t";
}

// "<schema>.<table>.copy" with every byte outside [A-Za-z0-9_-] as %XX: identifiers may hold
// '/', '.', or anything else, and the mapping must stay one-to-one.
std::string file_part(const std::string& name) {
  return percent_encode(name, "_-");
}

std::vector<PgColumn> read_columns(Connection& connection, const std::string& oid) {
  ResultSet rows = connection.query(
      "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
      "pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, "
      "CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN "
      "pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END "
      "FROM pg_catalog.pg_attribute a "
      "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
      "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
      "LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation "
      "LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace "
      "WHERE a.attrelid = $1::pg_catalog.oid AND a.attnum > 0 AND NOT a.attisdropped "
      "ORDER BY a.attnum",
      {oid});
  std::vector<PgColumn> columns;
  for (const auto& row : rows.rows) {
    PgColumn column;
    column.name = text(row[0]);
    column.type = text(row[1]);
    column.not_null = truth(row[2]);
    column.default_expr = row[3];
    std::string identity = text(row[4]);
    column.identity = identity == "a" ? "always" : identity == "d" ? "by default" : "";
    column.generated = text(row[5]) == "s";
    column.collation = row[6];
    columns.push_back(std::move(column));
  }
  return columns;
}

std::vector<std::string> read_primary_key(Connection& connection, const std::string& oid) {
  ResultSet rows = connection.query(
      "SELECT a.attname FROM pg_catalog.pg_constraint con "
      "CROSS JOIN LATERAL pg_catalog.unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum "
      "WHERE con.conrelid = $1::pg_catalog.oid AND con.contype = 'p' ORDER BY k.ord",
      {oid});
  std::vector<std::string> key;
  for (const auto& row : rows.rows) key.push_back(text(row[0]));
  return key;
}

// Builds the CREATE TABLE (and keeps the foreign keys apart: they are added after all data is
// back, when the tables they point to exist and hold their rows).
void read_definition(Connection& connection, const std::string& oid, bool unlogged,
                     PgTable& table) {
  std::string body;
  for (const auto& column : table.columns) {
    std::string line = "  " + quote_identifier(column.name) + " " + column.type;
    if (column.collation) line += " COLLATE " + *column.collation;
    if (column.generated && column.default_expr) {
      line += " GENERATED ALWAYS AS (" + *column.default_expr + ") STORED";
    } else if (!column.identity.empty()) {
      line += " GENERATED " + std::string(column.identity == "always" ? "ALWAYS" : "BY DEFAULT") +
              " AS IDENTITY";
      for (const auto& sequence : table.sequences)
        if (sequence.column == column.name) line += " (" + sequence.create + ")";
    } else if (column.default_expr) {
      line += " DEFAULT " + *column.default_expr;
    }
    if (column.not_null) line += " NOT NULL";
    body += (body.empty() ? "" : ",\n") + line;
  }
  ResultSet constraints = connection.query(
      "SELECT con.conname, con.contype, pg_catalog.pg_get_constraintdef(con.oid), rn.nspname, "
      "rc.relname FROM pg_catalog.pg_constraint con "
      "LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid "
      "LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace "
      "WHERE con.conrelid = $1::pg_catalog.oid AND con.contype IN ('p', 'u', 'c', 'x', 'f') "
      "AND con.conislocal ORDER BY con.contype, con.conname COLLATE \"C\"",
      {oid});
  for (const auto& row : constraints.rows) {
    if (text(row[1]) == "f") {
      table.foreign_keys.push_back({text(row[0]), text(row[2]), text(row[3]), text(row[4])});
      continue;
    }
    body += ",\n  CONSTRAINT " + quote_identifier(text(row[0])) + " " + text(row[2]);
  }
  table.create_table = std::string("CREATE ") + (unlogged ? "UNLOGGED " : "") + "TABLE " +
                       qualified(table) + " (\n" + body + "\n)";

  ResultSet indexes = connection.query(
      "SELECT pg_catalog.pg_get_indexdef(i.indexrelid) FROM pg_catalog.pg_index i "
      "JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
      "WHERE i.indrelid = $1::pg_catalog.oid AND NOT EXISTS (SELECT 1 FROM "
      "pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = "
      "i.indrelid AND con.contype IN ('p', 'u', 'x')) ORDER BY ic.relname COLLATE \"C\"",
      {oid});
  for (const auto& row : indexes.rows) table.indexes.push_back(text(row[0]));
}

// Sequences owned by a column (serial: dependency 'a') or behind an identity column ('i').
void read_sequences(Connection& connection, const std::string& oid, PgTable& table) {
  ResultSet rows = connection.query(
      "SELECT a.attname, dep.deptype, pg_catalog.quote_ident(sn.nspname) || '.' || "
      "pg_catalog.quote_ident(seq.relname), pg_catalog.format_type(s.seqtypid, NULL), "
      "s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle "
      "FROM pg_catalog.pg_depend dep "
      "JOIN pg_catalog.pg_class seq ON seq.oid = dep.objid AND seq.relkind = 'S' "
      "JOIN pg_catalog.pg_namespace sn ON sn.oid = seq.relnamespace "
      "JOIN pg_catalog.pg_sequence s ON s.seqrelid = seq.oid "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid "
      "WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass "
      "AND dep.refobjid = $1::pg_catalog.oid AND dep.deptype IN ('a', 'i') ORDER BY a.attnum",
      {oid});
  for (const auto& row : rows.rows) {
    PgSequence sequence;
    sequence.column = text(row[0]);
    sequence.kind = text(row[1]) == "i" ? "identity" : "serial";
    sequence.name = text(row[2]);
    std::string options = "START WITH " + text(row[4]) + " INCREMENT BY " + text(row[5]) +
                          " MINVALUE " + text(row[6]) + " MAXVALUE " + text(row[7]) + " CACHE " +
                          text(row[8]) + (truth(row[9]) ? " CYCLE" : " NO CYCLE");
    // An identity column takes these as its sequence options; a serial column's sequence has to
    // exist before the table whose default calls nextval() on it.
    sequence.create = sequence.kind == "identity"
                          ? "SEQUENCE NAME " + sequence.name + " " + options
                          : "CREATE SEQUENCE IF NOT EXISTS " + sequence.name + " AS " +
                                text(row[3]) + " " + options;
    ResultSet state = connection.query("SELECT last_value, is_called FROM " + sequence.name);
    sequence.last_value = std::stoll(text(state.rows.at(0)[0]));
    sequence.is_called = truth(state.rows.at(0)[1]);
    table.sequences.push_back(std::move(sequence));
  }
}

// Every user table: ordinary tables outside the system schemas, other sessions' temporary
// schemas and extensions, and not migpkg's own migpkg_* tables.
std::vector<PgTable> read_catalog(Connection& connection) {
  ResultSet tables = connection.query(
      "SELECT c.oid, n.nspname, c.relname, c.relpersistence, c.relispartition "
      "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relkind = 'r' AND n.nspname <> 'pg_catalog' "
      "AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_toast%' "
      "AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND c.relname NOT LIKE 'migpkg\\_%' "
      "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = "
      "'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e') "
      "ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\"");
  std::vector<PgTable> out;
  for (const auto& row : tables.rows) {
    std::string oid = text(row[0]);
    PgTable table;
    table.schema = text(row[1]);
    table.name = text(row[2]);
    table.partition = truth(row[4]);
    table.file =
        file_part(table.schema) + "." + file_part(table.name) + ".copy" + kCompressedSuffix;
    table.columns = read_columns(connection, oid);
    table.primary_key = read_primary_key(connection, oid);
    read_sequences(connection, oid, table);
    read_definition(connection, oid, text(row[3]) == "u", table);
    out.push_back(std::move(table));
  }
  return out;
}

std::int64_t count_rows(Connection& connection, const PgTable& table) {
  return std::stoll(
      text(connection.query("SELECT count(*) FROM ONLY " + qualified(table)).rows.at(0)[0]));
}

nlohmann::json manifest_json(const std::vector<PgTable>& tables,
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
          {"engine", "postgresql"},
          {"created", created},
          {"label", label},
          {"database", database},
          {"server_version", server_version},
          {"copy_format", "text, client_encoding UTF8, DateStyle ISO, bytea_output hex, UTC"},
          {"compression", kCompression},
          {"sha256", overall_sha256(digests)},
          {"total_rows", total},
          {"tables", list}};
}

}  // namespace

std::string quote_identifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string qualified(const PgTable& table) {
  return quote_identifier(table.schema) + "." + quote_identifier(table.name);
}

std::vector<std::string> copied_columns(const PgTable& table) {
  std::vector<std::string> names;
  for (const auto& column : table.columns)
    if (!column.generated) names.push_back(column.name);
  return names;
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + quote_identifier(name);
  return out;
}

std::string copy_source(const PgTable& table) {
  std::vector<std::string> columns = copied_columns(table);
  std::string list = quoted_list(columns);
  // ONLY: rows of inheritance children belong to the children's own backups.
  std::string source = "SELECT " + list + " FROM ONLY " + qualified(table);
  if (!table.primary_key.empty())
    source += " ORDER BY " + quoted_list(table.primary_key);
  else if (!columns.empty())
    // Without a key the text of the copied columns orders the rows; rows that tie are identical
    // in every copied column and so give identical lines. Works for types without "<".
    source += " ORDER BY ROW(" + list + ")::pg_catalog.text COLLATE \"C\"";
  return "(" + source + ")";
}

CopyOutcome copy_out(pqxx::connection_base& connection, const std::string& source,
                     const std::string& file) {
  CopyOutcome outcome;
  Sha256 hash;
  std::optional<PrivateWriter> writer;
  if (!file.empty()) writer.emplace(file, is_compressed(file));
  {
    // A nontransaction issues no BEGIN of its own: it runs inside the transaction that the
    // Connection opened, and is gone before the Connection is used again.
    pqxx::nontransaction work(connection);
    pqxx::stream_from stream(work, source);
    std::string line;
    while (stream.get_raw_line(line)) {
      // libpqxx 6.4 hands out each COPY row with its newline; the files hold it exactly once.
      if (line.empty() || line.back() != '\n') line += '\n';
      hash.update(line);
      if (writer) writer->write(line);
      ++outcome.rows;
    }
    stream.complete();
  }
  if (writer) writer->close();
  outcome.sha256 = hash.hex_digest();
  return outcome;
}

std::string server_message(const std::exception& error) {
  std::string message = error.what();
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  for (const char* prefix : {"ERROR:  ", "FATAL:  "})
    if (message.rfind(prefix, 0) == 0) message.erase(0, std::strlen(prefix));
  return message;
}

CopyOutcome hash_data_file(const std::string& path) {
  LineFileDigest digest = digest_line_file(path);
  CopyOutcome out;
  out.rows = digest.rows;
  out.sha256 = digest.sha256;
  return out;
}

nlohmann::json to_json(const PgTable& table) {
  nlohmann::json columns = nlohmann::json::array();
  for (const auto& column : table.columns) {
    nlohmann::json entry = {{"name", column.name},
                            {"type", column.type},
                            {"not_null", column.not_null},
                            {"identity", column.identity},
                            {"generated", column.generated}};
    entry["default"] = column.default_expr ? nlohmann::json(*column.default_expr) : nullptr;
    entry["collation"] = column.collation ? nlohmann::json(*column.collation) : nullptr;
    columns.push_back(std::move(entry));
  }
  nlohmann::json sequences = nlohmann::json::array();
  for (const auto& sequence : table.sequences)
    sequences.push_back({{"column", sequence.column},
                         {"name", sequence.name},
                         {"kind", sequence.kind},
                         {"create", sequence.create},
                         {"last_value", sequence.last_value},
                         {"is_called", sequence.is_called}});
  nlohmann::json foreign_keys = nlohmann::json::array();
  for (const auto& key : table.foreign_keys)
    foreign_keys.push_back({{"name", key.name},
                            {"definition", key.definition},
                            {"references", {{"schema", key.ref_schema}, {"name", key.ref_name}}}});
  return {{"schema", table.schema},
          {"name", table.name},
          {"file", table.file},
          {"rows", table.rows},
          {"sha256", table.sha256},
          {"partition", table.partition},
          {"columns", columns},
          {"primary_key", table.primary_key},
          {"create_table", table.create_table},
          {"sequences", sequences},
          {"foreign_keys", foreign_keys},
          {"indexes", table.indexes}};
}

PgTable table_from_json(const nlohmann::json& json, const std::string& manifest_path) {
  try {
    PgTable table;
    table.schema = json.at("schema").get<std::string>();
    table.name = json.at("name").get<std::string>();
    table.file = json.at("file").get<std::string>();
    table.rows = json.at("rows").get<std::int64_t>();
    table.sha256 = json.at("sha256").get<std::string>();
    table.partition = json.at("partition").get<bool>();
    for (const auto& entry : json.at("columns")) {
      PgColumn column;
      column.name = entry.at("name").get<std::string>();
      column.type = entry.at("type").get<std::string>();
      column.not_null = entry.at("not_null").get<bool>();
      column.identity = entry.at("identity").get<std::string>();
      column.generated = entry.at("generated").get<bool>();
      if (!entry.at("default").is_null())
        column.default_expr = entry.at("default").get<std::string>();
      if (!entry.at("collation").is_null())
        column.collation = entry.at("collation").get<std::string>();
      table.columns.push_back(std::move(column));
    }
    table.primary_key = json.at("primary_key").get<std::vector<std::string>>();
    table.create_table = json.at("create_table").get<std::string>();
    for (const auto& entry : json.at("sequences"))
      table.sequences.push_back(
          {entry.at("column").get<std::string>(), entry.at("name").get<std::string>(),
           entry.at("kind").get<std::string>(), entry.at("create").get<std::string>(),
           entry.at("last_value").get<std::int64_t>(), entry.at("is_called").get<bool>()});
    for (const auto& entry : json.at("foreign_keys"))
      table.foreign_keys.push_back({entry.at("name").get<std::string>(),
                                    entry.at("definition").get<std::string>(),
                                    entry.at("references").at("schema").get<std::string>(),
                                    entry.at("references").at("name").get<std::string>()});
    table.indexes = json.at("indexes").get<std::vector<std::string>>();
    // The file name comes from the manifest: it must stay inside the backup directory.
    if (table.file.empty() || table.file[0] == '.' || table.file.find('/') != std::string::npos)
      throw BackupError("backup manifest " + manifest_path + " names an unsafe data file \"" +
                        table.file + "\"");
    return table;
  } catch (const nlohmann::json::exception& error) {
    throw BackupError("backup manifest " + manifest_path + " is damaged: " + error.what());
  }
}

BackupInfo take_postgresql_backup(Connection& connection, const DatabaseUrl& url,
                                  const std::string& directory, const std::string& label) {
  (void)url;  // the connection already reaches the database; the URL may hold a password
  pqxx::connection_base& native = postgresql_handle(connection);
  ensure_directory(directory);
  Timestamps now = utc_timestamps();
  std::string base = safe_label(label) + "-" + now.compact;
  std::string temp = temp_path(directory, base);
  Cleanup cleanup;
  if (mkdir(temp.c_str(), 0700) != 0)
    throw BackupError("cannot create " + temp + ": " + std::strerror(errno));
  cleanup.add(temp);

  std::vector<PgTable> tables;
  std::vector<TableDigest> digests;
  std::string database, server_version;
  connection.begin();
  try {
    // Must come before any query of the transaction to take effect.
    connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    connection.execute(kSessionSettings);
    ResultSet about = connection.query(
        "SELECT pg_catalog.current_database(), pg_catalog.current_setting('server_version')");
    database = text(about.rows.at(0)[0]);
    server_version = text(about.rows.at(0)[1]);
    tables = read_catalog(connection);
    for (auto& table : tables) {
      std::string file = temp + "/" + table.file;
      CopyOutcome outcome;
      try {
        outcome = copy_out(native, copy_source(table), file);
      } catch (const BackupError&) {
        throw;
      } catch (const std::exception& error) {
        throw BackupError("cannot copy table " + table.schema + "." + table.name + ": " +
                          server_message(error));
      }
      // COPY and count(*) see the same snapshot; a difference means lines were lost or split.
      std::int64_t counted = count_rows(connection, table);
      if (counted != outcome.rows)
        throw BackupError("table " + table.schema + "." + table.name + ": COPY gave " +
                          std::to_string(outcome.rows) + " rows, count(*) " +
                          std::to_string(counted));
      table.rows = outcome.rows;
      table.sha256 = outcome.sha256;
      digests.push_back({table.schema, table.name, table.rows, table.sha256});
    }
    connection.commit();
  } catch (...) {
    try {
      if (connection.in_transaction()) connection.rollback();
    } catch (const std::exception&) {
      // The original error says more than a failed rollback of a read-only transaction.
    }
    throw;
  }

  // Verify what reached the disk against what was read from the database.
  for (const auto& table : tables) {
    CopyOutcome written = hash_data_file(temp + "/" + table.file);
    if (written.rows != table.rows || written.sha256 != table.sha256)
      throw BackupError("backup file " + temp + "/" + table.file +
                        " does not hold what was read from table " + table.schema + "." +
                        table.name);
  }
  write_private_file(
      temp + "/manifest.json",
      manifest_text(manifest_json(tables, digests, now.iso, label, database, server_version)));
  fsync_path(temp);
  std::string final_path = publish_unique(temp, directory, base, "");
  fsync_path(directory);
  cleanup.disarm();
  return info_from(final_path, "postgresql", digests);
}

BackupInfo verify_postgresql_backup(const std::string& directory) {
  std::string manifest_path = directory + "/manifest.json";
  nlohmann::json manifest = read_manifest(manifest_path);
  if (string_member(manifest, "engine", manifest_path) != "postgresql")
    throw BackupError("backup manifest " + manifest_path + " is not for a PostgreSQL backup");
  std::vector<TableDigest> digests = manifest_tables(manifest, manifest_path);
  for (const auto& entry : member(manifest, "tables", manifest_path)) {
    PgTable table = table_from_json(entry, manifest_path);
    std::string file = directory + "/" + table.file;
    if (!exists(file))
      throw BackupError("table " + table.schema + "." + table.name + ": backup file " + file +
                        " is missing");
    CopyOutcome found = hash_data_file(file);
    if (found.rows != table.rows)
      throw BackupError("table " + table.schema + "." + table.name + ": backup file " + file +
                        " holds " + std::to_string(found.rows) + " rows, the manifest records " +
                        std::to_string(table.rows));
    if (found.sha256 != table.sha256)
      throw BackupError("table " + table.schema + "." + table.name + ": backup file " + file +
                        " was modified or damaged after it was written (sha256 " + found.sha256 +
                        ", the manifest records " + table.sha256 + ")");
  }
  return info_from(directory, "postgresql", digests);
}

}  // namespace migpkg::runtime::backup_detail
