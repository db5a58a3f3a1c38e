// PostgreSQL restore, all in one transaction (any failure rolls everything back):
//   1. verify every data file against the manifest (before anything is touched);
//   2. recreate backed-up tables that no longer exist (schema, serial sequences, CREATE TABLE,
//      indexes) from the manifest, and lock every backed-up table;
//   3. disable the tables' enabled user triggers, so that putting rows back does not run
//      application logic (audit rows, "updated_at = now()") a second time;
//   4. empty the tables: one TRUNCATE of all of them, or, when a table outside the backup holds a
//      foreign key to one of them, DELETE children before parents;
//   5. COPY every file back, parents before children (re-hashing each file as it streams, so a
//      file changed after step 1 is caught too);
//   6. re-add foreign keys that are missing (dropped with a table), setval() the sequences, and
//      re-enable the triggers;
//   7. read every table back in the backup's order and compare row counts and hashes with the
//      manifest, then commit.
// migpkg_* tables are never part of a backup, so a restore leaves them as they are. A restore
// puts rows back; of the other schema changes it undoes only dropped columns (added back, at
// the end of the table, in step 2; their NOT NULL after step 5). A changed type that alters the
// data fails step 7.
#include <map>
#include <set>

#include <fstream>
#include <pqxx/pqxx>
#include <pqxx/tablewriter>

#include "runtime/engines/postgresql/backup_postgresql.hpp"
#include "runtime/engines/postgresql/postgresql_engine.hpp"
#include "runtime/engines/postgresql/postgresql_native.hpp"

namespace migpkg::runtime::backup_detail {
namespace {

std::string text(const std::optional<std::string>& value) {
  return value.value_or("");
}

std::string display(const PgTable& table) {
  return table.schema + "." + table.name;
}

// Indexes of `tables` with every table after the tables its foreign keys point to. Tables in a
// cycle keep their manifest order (the cycle's constraints must then be deferrable).
std::vector<std::size_t> parents_first(const std::vector<PgTable>& tables) {
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  for (std::size_t i = 0; i < tables.size(); ++i) index[{tables[i].schema, tables[i].name}] = i;
  std::vector<std::set<std::size_t>> parents(tables.size());
  for (std::size_t i = 0; i < tables.size(); ++i)
    for (const auto& key : tables[i].foreign_keys) {
      auto it = index.find({key.ref_schema, key.ref_name});
      if (it != index.end() && it->second != i) parents[i].insert(it->second);
    }
  std::vector<std::size_t> order;
  std::vector<bool> placed(tables.size(), false);
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t i = 0; i < tables.size(); ++i) {
      if (placed[i]) continue;
      bool ready = true;
      for (std::size_t parent : parents[i]) ready = ready && placed[parent];
      if (!ready) continue;
      placed[i] = true;
      order.push_back(i);
      progress = true;
    }
  }
  for (std::size_t i = 0; i < tables.size(); ++i)
    if (!placed[i]) order.push_back(i);
  return order;
}

std::optional<std::string> table_oid(Connection& connection, const PgTable& table) {
  ResultSet rows =
      connection.query("SELECT pg_catalog.to_regclass($1)::pg_catalog.oid", {qualified(table)});
  return rows.rows.at(0)[0];
}

void recreate(Connection& connection, const PgTable& table) {
  if (table.partition)
    throw BackupError("table " + display(table) +
                      " no longer exists and is a partition; restore cannot recreate a "
                      "partitioned table's partitions: recreate it, then restore again");
  connection.execute("CREATE SCHEMA IF NOT EXISTS " + quote_identifier(table.schema));
  for (const auto& sequence : table.sequences)
    if (sequence.kind == "serial") connection.execute(sequence.create);
  connection.execute(table.create_table);
  for (const auto& sequence : table.sequences)
    if (sequence.kind == "serial")
      connection.execute("ALTER SEQUENCE " + sequence.name + " OWNED BY " + qualified(table) + "." +
                         quote_identifier(sequence.column));
  for (const auto& index : table.indexes) connection.execute(index);
}

// Checks that every backed-up column can take its values, and adds back a column that was
// dropped since the backup (a destructive migration's backup exists to bring it back). The
// column is added nullable, its NOT NULL comes back once the rows are in: the statements for
// that are returned. An identity or generated column is not added back. With `drop_added` (a
// restore per plugin, which undoes the plugin's schema changes since the backup), a column the
// backup does not hold is dropped.
std::vector<std::string> restore_columns(Connection& connection, const PgTable& table,
                                         const std::string& oid, bool drop_added) {
  ResultSet rows = connection.query(
      "SELECT attname, attgenerated FROM pg_catalog.pg_attribute WHERE attrelid = "
      "$1::pg_catalog.oid AND attnum > 0 AND NOT attisdropped",
      {oid});
  std::map<std::string, std::string> present;
  for (const auto& row : rows.rows) present[text(row[0])] = text(row[1]);
  if (drop_added)
    for (const auto& [name, generated] : present) {
      bool backed_up = false;
      for (const auto& column : table.columns) backed_up = backed_up || column.name == name;
      if (backed_up) continue;
      try {
        connection.execute("ALTER TABLE " + qualified(table) + " DROP COLUMN " +
                           quote_identifier(name));
      } catch (const DatabaseError& error) {
        throw BackupError("table " + display(table) + " has column \"" + name +
                          "\", added since the backup, and dropping it failed: " + error.what());
      }
    }
  std::vector<std::string> not_null_later;
  for (const auto& column : table.columns) {
    if (column.generated) continue;
    auto it = present.find(column.name);
    if (it == present.end()) {
      if (!column.identity.empty())
        throw BackupError("table " + display(table) + " no longer has its identity column \"" +
                          column.name + "\", which restore cannot add back");
      std::string add = "ALTER TABLE " + qualified(table) + " ADD COLUMN " +
                        quote_identifier(column.name) + " " + column.type;
      if (column.collation) add += " COLLATE " + *column.collation;
      if (column.default_expr) add += " DEFAULT " + *column.default_expr;
      try {
        connection.execute(add);
      } catch (const DatabaseError& error) {
        throw BackupError("table " + display(table) + " no longer has column \"" + column.name +
                          "\", and adding it back failed: " + error.what());
      }
      if (column.not_null)
        not_null_later.push_back("ALTER TABLE " + qualified(table) + " ALTER COLUMN " +
                                 quote_identifier(column.name) + " SET NOT NULL");
      continue;
    }
    if (!it->second.empty())
      throw BackupError("column \"" + column.name + "\" of table " + display(table) +
                        " is now a generated column and cannot take the backed-up values");
  }
  return not_null_later;
}

struct Trigger {
  std::string table, name, enabled;  // enabled: 'O' origin, 'A' always, 'R' replica
};

std::vector<Trigger> disable_user_triggers(Connection& connection, const PgTable& table,
                                           const std::string& oid) {
  ResultSet rows = connection.query(
      "SELECT tgname, tgenabled FROM pg_catalog.pg_trigger WHERE tgrelid = $1::pg_catalog.oid "
      "AND NOT tgisinternal AND tgenabled <> 'D' ORDER BY tgname COLLATE \"C\"",
      {oid});
  std::vector<Trigger> disabled;
  for (const auto& row : rows.rows) {
    Trigger trigger{qualified(table), text(row[0]), text(row[1])};
    connection.execute("ALTER TABLE " + trigger.table + " DISABLE TRIGGER " +
                       quote_identifier(trigger.name));
    disabled.push_back(std::move(trigger));
  }
  return disabled;
}

void enable_triggers(Connection& connection, const std::vector<Trigger>& triggers) {
  for (const auto& trigger : triggers) {
    std::string how = trigger.enabled == "A"   ? "ENABLE ALWAYS TRIGGER "
                      : trigger.enabled == "R" ? "ENABLE REPLICA TRIGGER "
                                               : "ENABLE TRIGGER ";
    connection.execute("ALTER TABLE " + trigger.table + " " + how + quote_identifier(trigger.name));
  }
}

void empty_tables(Connection& connection, const std::vector<PgTable>& tables,
                  const std::vector<std::size_t>& order) {
  std::string list;
  for (const auto& table : tables) list += (list.empty() ? "" : ", ") + qualified(table);
  if (list.empty()) return;
  // TRUNCATE is fast and fires no row triggers, but refuses while any table outside the list
  // references one inside; then DELETE, children first, which such references can live with.
  connection.execute("SAVEPOINT migpkg_restore_truncate");
  try {
    connection.execute("TRUNCATE ONLY " + list);
    connection.execute("RELEASE SAVEPOINT migpkg_restore_truncate");
    return;
  } catch (const DatabaseError&) {
    connection.execute("ROLLBACK TO SAVEPOINT migpkg_restore_truncate");
    connection.execute("RELEASE SAVEPOINT migpkg_restore_truncate");
  }
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const PgTable& table = tables[*it];
    try {
      connection.execute("DELETE FROM ONLY " + qualified(table));
    } catch (const DatabaseError& error) {
      throw BackupError("cannot empty table " + display(table) +
                        " before the restore: " + error.what());
    }
  }
}

void copy_in(pqxx::connection_base& native, const PgTable& table, const std::string& file) {
  std::vector<std::string> columns = copied_columns(table);
  std::string target = qualified(table);
  if (!columns.empty()) target += " (" + quoted_list(columns) + ")";
  Sha256 hash;
  std::int64_t rows = 0;
  try {
    pqxx::nontransaction work(native);  // inside the Connection's open transaction
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    // libpqxx 6.4's stream_to keeps raw lines private; tablewriter is the one that takes COPY
    // text as it is, without parsing and re-escaping every field.
    pqxx::tablewriter writer(work, target);
#pragma GCC diagnostic pop
    read_data_lines(file, [&](const std::string& line) {
      hash.update(line);
      hash.update("\n");
      ++rows;
      writer.write_raw_line(line);
    });
    writer.complete();
  } catch (const BackupError&) {
    throw;  // the file, not the server: its message names the file
  } catch (const std::exception& error) {
    throw BackupError("cannot restore table " + display(table) + " from " + file + ": " +
                      server_message(error));
  }
  if (rows != table.rows || hash.hex_digest() != table.sha256)
    throw BackupError("backup file " + file + " changed while it was being restored");
}

// A restore per plugin undoes the plugin's schema changes since the backup: its tables in the
// schema migpkg works in that the backup does not hold were created since, and go (in one
// statement, so that they may reference each other). A table outside the plugin that references
// one of them makes the DROP fail, and the restore with it: nothing is dropped behind its back.
void drop_tables_created_since(Connection& connection, const std::vector<PgTable>& backed_up,
                               const RestoreScope& scope) {
  ResultSet live = connection.query(
      "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON "
      "n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND "
      "n.nspname = current_schema() ORDER BY c.relname");
  std::string list;
  for (const auto& row : live.rows) {
    std::string schema = text(row[0]), name = text(row[1]);
    if (!scope.covers(name)) continue;
    bool held = false;
    for (const auto& table : backed_up)
      held = held || (table.schema == schema && table.name == name);
    if (!held)
      list += (list.empty() ? "" : ", ") + quote_identifier(schema) + "." + quote_identifier(name);
  }
  if (list.empty()) return;
  try {
    connection.execute("DROP TABLE " + list);
  } catch (const DatabaseError& error) {
    throw BackupError("cannot drop " + list + ", created since the backup: " + error.what());
  }
}

// In a restore per plugin, the rows of tables outside the plugin must stay as they are; emptying
// the plugin's tables would run the ON DELETE action (CASCADE, SET NULL, SET DEFAULT) of a
// foreign key from such a table. Refused before anything is emptied.
void refuse_outside_delete_actions(Connection& connection, const std::vector<std::string>& oids) {
  if (oids.empty()) return;
  std::string list;
  for (const auto& oid : oids) list += (list.empty() ? "" : ", ") + oid;
  ResultSet actions = connection.query(
      "SELECT conrelid::pg_catalog.regclass::text, confrelid::pg_catalog.regclass::text, conname, "
      "confdeltype FROM pg_catalog.pg_constraint WHERE contype = 'f' AND confdeltype IN ('c', "
      "'n', 'd') AND confrelid IN (" +
      list + ") AND conrelid NOT IN (" + list + ") ORDER BY 1, 3");
  if (actions.rows.empty()) return;
  const auto& row = actions.rows.front();
  std::string action = text(row[3]) == "c"   ? "CASCADE"
                       : text(row[3]) == "n" ? "SET NULL"
                                             : "SET DEFAULT";
  throw BackupError("table " + text(row[0]) + " (not the plugin's) references " + text(row[1]) +
                    " with ON DELETE " + action + " (" + text(row[2]) +
                    "): putting back the plugin's rows would change its rows; restore with "
                    "--all-tables, or drop that action first");
}

void add_missing_foreign_keys(Connection& connection, const std::vector<PgTable>& tables) {
  for (const auto& table : tables) {
    std::string oid = text(table_oid(connection, table));
    for (const auto& key : table.foreign_keys) {
      ResultSet present = connection.query(
          "SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = $1::pg_catalog.oid AND "
          "conname = $2",
          {oid, key.name});
      if (!present.rows.empty()) continue;
      try {
        connection.execute("ALTER TABLE " + qualified(table) + " ADD CONSTRAINT " +
                           quote_identifier(key.name) + " " + key.definition);
      } catch (const DatabaseError& error) {
        throw BackupError("cannot re-add foreign key " + key.name + " of table " + display(table) +
                          ": " + error.what());
      }
    }
  }
}

void set_sequences(Connection& connection, const std::vector<PgTable>& tables) {
  for (const auto& table : tables)
    for (const auto& sequence : table.sequences)
      // Found through the column, not by the recorded name: a recreated identity column may
      // own a sequence of another name. A column that lost its sequence is left alone.
      connection.query(
          "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence($1, $2), "
          "$3::pg_catalog.int8, $4::pg_catalog.bool)",
          {qualified(table), sequence.column, std::to_string(sequence.last_value),
           sequence.is_called ? "true" : "false"});
}

}  // namespace

void restore_postgresql_backup(Connection& connection, const std::string& directory,
                               const RestoreScope* scope) {
  verify_postgresql_backup(directory);
  std::string manifest_path = directory + "/manifest.json";
  nlohmann::json manifest = read_manifest(manifest_path);
  std::vector<TableDigest> expected;
  for (auto& table : manifest_tables(manifest, manifest_path))
    if (!scope || scope->covers(table.name)) expected.push_back(std::move(table));
  std::vector<PgTable> tables;
  for (const auto& entry : member(manifest, "tables", manifest_path)) {
    PgTable table = table_from_json(entry, manifest_path);
    if (!scope || scope->covers(table.name)) tables.push_back(std::move(table));
  }
  std::vector<std::size_t> order = parents_first(tables);
  pqxx::connection_base& native = postgresql_handle(connection);

  connection.begin();
  try {
    if (scope) drop_tables_created_since(connection, tables, *scope);
    connection.execute(kSessionSettings);
    connection.execute("SET CONSTRAINTS ALL DEFERRED");
    std::vector<std::string> oids;
    for (const auto& table : tables) {
      std::optional<std::string> oid = table_oid(connection, table);
      if (!oid) {
        recreate(connection, table);
        oid = table_oid(connection, table);
      }
      oids.push_back(text(oid));
    }
    if (!tables.empty()) {
      std::string list;
      for (const auto& table : tables) list += (list.empty() ? "" : ", ") + qualified(table);
      // Nobody may read half-restored tables or write between the emptying and the COPY.
      connection.execute("LOCK TABLE ONLY " + list + " IN ACCESS EXCLUSIVE MODE");
    }
    if (scope) refuse_outside_delete_actions(connection, oids);
    std::vector<Trigger> disabled;
    std::vector<std::string> not_null_later;
    for (std::size_t i = 0; i < tables.size(); ++i) {
      for (auto& statement : restore_columns(connection, tables[i], oids[i], scope != nullptr))
        not_null_later.push_back(std::move(statement));
      for (auto& trigger : disable_user_triggers(connection, tables[i], oids[i]))
        disabled.push_back(std::move(trigger));
    }
    empty_tables(connection, tables, order);
    for (std::size_t i : order) copy_in(native, tables[i], directory + "/" + tables[i].file);
    for (const auto& statement : not_null_later) connection.execute(statement);
    add_missing_foreign_keys(connection, tables);
    set_sequences(connection, tables);
    enable_triggers(connection, disabled);
    // Deferred constraints are checked now, inside the transaction, not at COMMIT.
    connection.execute("SET CONSTRAINTS ALL IMMEDIATE");

    std::vector<TableDigest> found;
    for (const auto& table : tables) {
      CopyOutcome outcome = copy_out(native, copy_source(table), "");
      found.push_back({table.schema, table.name, outcome.rows, outcome.sha256});
    }
    compare_digests(expected, found, "the database after the restore");
    connection.commit();
  } catch (...) {
    try {
      if (connection.in_transaction()) connection.rollback();
    } catch (const std::exception&) {
      // The error that made the restore stop is the one to report.
    }
    throw;
  }
}

}  // namespace migpkg::runtime::backup_detail
