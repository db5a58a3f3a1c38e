#pragma once
// The seam between the runtime and the databases it runs on. Everything above it (installer,
// check, history, executor, CLI) is written once and asks "the engine of this URL / this
// connection" for whatever differs between databases; each engine is one folder,
// runtime/engines/<name>/, with the same file names (see docs/architecture.md, "How to add a
// dialect, a change kind, a command or an engine"). No code outside an engine's folder compares
// an engine's name (test_layout.cpp).
//
// Engines are keyed by the IR's engine enum (ir::Engine) and found by URL scheme
// (engine_registry.hpp). An engine whose client library is heavy (libpq, libmariadb) is a
// loadable module (engine_module.hpp) that the registry opens the first time it is needed, so
// a run on the embedded SQLite default never maps those libraries.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/backup/backup.hpp"
#include "runtime/data/data_table.hpp"
#include "runtime/drivers/connection.hpp"
#include "runtime/lock/run_lock.hpp"

namespace migpkg::plan {
struct TransformInfo;
}

namespace migpkg::runtime {

// A throwaway, empty database on the server (or file system) a URL names: `check` rehearses
// migrations in one, the tests use them. Dropped (even with sessions still connected) when this
// goes out of scope.
class ScratchDatabase {
 public:
  virtual ~ScratchDatabase() = default;
  virtual const std::string& url() const = 0;
  // Its unique name (a database name on a server, a file path for a file engine).
  virtual const std::string& name() const = 0;
};

// How an engine spells what the runtime's own SQL needs (bookkeeping tables, seed rows).
struct EngineSpellings {
  std::string auto_id_column;  // a surrogate key: "INTEGER PRIMARY KEY AUTOINCREMENT", ...
  std::string key_text;        // text usable in a primary key: "TEXT", "VARCHAR(255)"
  std::string long_text;       // unbounded text outside keys: "TEXT", "LONGTEXT"
  std::string true_literal, false_literal;
  // Hex digits -> a byte-string literal's text value as the engine reads it back ("\\x..." on
  // PostgreSQL); an engine with a different convention overrides bytes_value.
  std::string bytes_prefix;
  // INSERT that skips rows clashing with a unique key: prefix before INTO, suffix after VALUES.
  std::string insert_ignore_prefix, insert_ignore_suffix;
};

// A table as the database's catalog describes it (Engine::describe_table): what `check --seed`
// needs to generate rows the table accepts (runtime/check/seed_table.hpp).
struct ColumnDescription {
  std::string name;
  std::string type;                      // as the catalog spells it: "integer", "varchar(20)"
  std::vector<std::string> enum_values;  // an enum type's labels, in order; empty otherwise
  bool nullable = true;
  bool generated = false;  // serial, identity, rowid alias or computed: the database fills it
  bool json = false;       // holds JSON although its type does not say so (a json_valid CHECK)
  bool checked = false;    // a CHECK constraint names it
};
struct ForeignKeyDescription {
  std::vector<std::string> columns;
  std::string ref_table;
  std::vector<std::string> ref_columns;  // never empty: the parent's primary key when implicit
};
struct TableDescription {
  std::vector<ColumnDescription> columns;             // in the table's order
  std::vector<std::vector<std::string>> unique_keys;  // the primary key first, then the others
  std::vector<ForeignKeyDescription> foreign_keys;
};
// What `copy --create` carries over besides columns and keys (Engine::schema_extras), each as
// the catalog spells it: runtime/data/copy_schema.hpp translates it for the target's dialect.
struct SchemaExtras {
  std::vector<std::pair<std::string, std::string>> defaults;  // column, default expression
  std::vector<std::vector<std::string>> indexes;              // non-unique indexes on plain columns
  std::vector<std::string> checks;  // CHECK expressions (without CHECK ( ))
};

class Engine {
 public:
  virtual ~Engine() = default;

  virtual ir::Engine id() const = 0;
  const char* name() const { return ir::engine_name(id()); }
  virtual const EngineSpellings& spellings() const = 0;
  // Hex digits -> the value a byte-string column receives as a parameter or write_rows value
  // (check's seed rows): the spellings' bytes_prefix and the digits ("\\x..." on PostgreSQL, whose
  // bytea reads that text as bytes); an engine that wants the bytes themselves overrides it.
  // Throws std::invalid_argument for digits it cannot read.
  virtual std::string bytes_value(const std::string& hex_digits) const {
    return spellings().bytes_prefix + hex_digits;
  }

  // --- Connections ---------------------------------------------------------------------------
  // `lock_wait_ms`: how long a statement waits for another connection's lock before throwing
  // LockTimeout, where the engine lets the client choose (SQLite); others wait as the server
  // says and may ignore it.
  virtual std::unique_ptr<Connection> open(const DatabaseUrl& url, int lock_wait_ms) const = 0;
  // Whether opening `url` for writing creates the database (a SQLite file that is not there).
  virtual bool creates_on_open(const DatabaseUrl&) const { return false; }
  // Where backups go when --backup-dir and MIGPKG_BACKUP_DIR say nothing.
  virtual std::string default_backup_directory(const DatabaseUrl&) const {
    return "migpkg-backups";
  }
  // What this database's backups record as their database (the manifest's "database"), so that
  // `migpkg backups` tells its backups from another database's in a shared directory. Null
  // `connection`: the database is not there. "" when unknown: only the history then says.
  virtual std::string backup_database_name(Connection* /*connection*/, const DatabaseUrl&) const {
    return "";
  }

  // --- Run lock (run_lock.hpp) ---------------------------------------------------------------
  virtual std::unique_ptr<RunLock> acquire_run_lock(Connection& connection, const DatabaseUrl& url,
                                                    const std::string& holder,
                                                    int timeout_seconds) const = 0;

  // --- Backups (backup.hpp): written and verified, verified again, put back -------------------
  // backup.hpp's functions check the engine and the transaction state, find the engine of a
  // backup from its manifest's "engine" member (this engine's name(); the manifest is
  // <path>/manifest.json for a directory, <file>.manifest.json for a file), and wrap what these
  // throw in BackupError. `path` is what take_backup returned, or that file's manifest.
  virtual BackupInfo take_backup(Connection& connection, const DatabaseUrl& url,
                                 const std::string& directory, const std::string& label) const = 0;
  virtual BackupInfo verify_backup(const std::string& path) const = 0;
  // `scope`: null puts back every table of the backup; else only its tables (backup.hpp).
  virtual void restore_backup(Connection& connection, const DatabaseUrl& url,
                              const std::string& path,
                              const RestoreScope* scope = nullptr) const = 0;

  // --- Catalog ---------------------------------------------------------------------------------
  // schema_snapshot.hpp's lines for this engine, unsorted.
  virtual std::vector<std::string> inspect_schema(Connection& connection) const = 0;
  // The tables, views, indexes (and other relations sharing their namespace) of the schema migpkg
  // works in: rows of (kind, name), kind one of table/view/index/sequence/relation.
  virtual ResultSet list_objects(Connection& connection) const = 0;
  // Whether `table` (as written in SQL, possibly quoted) exists, without a failing statement
  // (which would abort an open PostgreSQL transaction). An engine whose failed statements leave
  // the transaction usable may answer true and let the caller's statement find out.
  virtual bool table_exists(Connection& connection, const std::string& table) const = 0;
  // Whether migpkg's own table `name` (unquoted, e.g. "migpkg_meta") exists in the schema migpkg
  // works in (bookkeeping.hpp).
  virtual bool own_table_exists(Connection& connection, const std::string& name) const {
    return table_exists(connection, name);
  }
  // The ordinary user tables, migpkg_* excluded, sorted (table_rows.hpp).
  virtual std::vector<std::string> user_tables(Connection& connection) const = 0;
  // A table's primary key columns in key order (empty: none).
  virtual std::vector<std::string> primary_key(Connection& connection,
                                               const std::string& table) const = 0;
  // `table` (unquoted) as the catalog describes it; nullopt when there is no such table.
  virtual std::optional<TableDescription> describe_table(Connection& connection,
                                                         const std::string& table) const = 0;
  // `table`'s column defaults, non-unique indexes (not partial, no expressions) and CHECK
  // constraints (empty when there is no such table).
  virtual SchemaExtras schema_extras(Connection& connection, const std::string& table) const = 0;
  // Rows that break a foreign key, one readable line each (data_checks.hpp).
  virtual std::vector<std::string> foreign_key_violations(Connection& connection) const = 0;

  // --- Executing plans -------------------------------------------------------------------------
  // The quoted column to batch a transform's source on, or "" to run it as one statement.
  virtual std::string batch_key(Connection& connection,
                                const plan::TransformInfo& transform) const = 0;
  // Whether a step that rebuilds tables must run with foreign keys off (SQLite's 12-step ALTER).
  virtual bool rebuilds_need_foreign_keys_off() const { return false; }
  // Whether a DDL statement commits the open transaction by itself (MySQL): then every step is
  // journalled and a failing migration is undone step by step.
  virtual bool ddl_commits_implicitly() const { return false; }
  // Runs `insert` (one INSERT into a table whose surrogate key column is `id`, auto_id_column)
  // and returns the new row's id: `INSERT ... RETURNING id` by default (SQLite, PostgreSQL); an
  // engine without RETURNING (MySQL 8) overrides it.
  virtual std::int64_t insert_returning_id(Connection& connection, const std::string& insert,
                                           const Connection::Params& params) const {
    ResultSet result = connection.query(insert + " RETURNING id", params);
    return result.rows.empty() || !result.rows[0][0] ? 0 : std::stoll(*result.rows[0][0]);
  }

  // --- Bulk rows (the data commands of the data issue) -----------------------------------------
  // Calls `sink` with successive batches of at most `batch_rows` rows of `table` (all `columns`,
  // values as text, NULL as nullopt), in primary key order when the table has one. Reads in one
  // snapshot where the engine offers it.
  virtual void read_rows(Connection& connection, const std::string& table,
                         const std::vector<std::string>& columns, std::size_t batch_rows,
                         const std::function<void(const std::vector<Row>&)>& sink) const = 0;
  // Inserts `rows` into `table`'s `columns` as they are (text converted by the engine), in the
  // caller's transaction; a row the table refuses throws DatabaseError naming the row.
  virtual void write_rows(Connection& connection, const std::string& table,
                          const std::vector<std::string>& columns,
                          const std::vector<Row>& rows) const = 0;

  // --- Data: export, import, copy, the load step (runtime/data/, docs/data.md) -----------------
  // `table` (unquoted) with each column's portable type (docs/data.md, "Type mapping") and its
  // primary key; nullopt when there is no such table. A column whose catalog type has no
  // portable type throws std::runtime_error naming table, column and type.
  virtual std::optional<data::DataTable> data_table(Connection& connection,
                                                    const std::string& table) const = 0;
  // Which rows read_data reads, and how many at a time.
  struct DataRead {
    const data::DataTable* table = nullptr;
    std::vector<std::string> columns;  // a subset of table->columns, in this order; empty: all
    std::string where;                 // a condition in the engine's SQL (--where); empty: all
    // Resume: only rows whose primary key comes after this one (portable values, key order).
    std::optional<data::Row> after_key;
    std::size_t batch_rows = 10000;
    // The caller does not need the order (verification: its digest is order-free), so the
    // engine may read in storage order: no sort, no walk of the key's index. Not with after_key.
    bool any_order = false;
  };
  // Streams the rows, portable form, in primary-key order as this engine orders it (all columns
  // when there is no key; any order with any_order), in batches of at most batch_rows: memory is
  // bounded by the batch, not the table. Reads in one snapshot where the engine offers it. The sink
  // may keep the rows (it gets them by value to move from).
  virtual void read_data(Connection& connection, const DataRead& read,
                         const std::function<void(std::vector<data::Row>)>& sink) const = 0;
  // The same rows, each handed to `visit` as views valid for that call only: for reading a table
  // only to digest it (verify), where no row is kept. PostgreSQL decodes into the views without
  // building rows; by default they come from read_data.
  virtual void visit_data(Connection& connection, const DataRead& read,
                          const std::function<void(const data::ValueViews&)>& visit) const {
    data::ValueViews values;
    read_data(connection, read, [&](std::vector<data::Row> rows) {
      for (const data::Row& row : rows) {
        values.assign(row.begin(), row.end());
        visit(values);
      }
    });
  }
  // Writes portable rows into `table`'s `columns` (a subset, in this order) with the engine's
  // bulk path (COPY, multi-row INSERT), in the caller's transaction. A value that does not fit
  // its column throws data::ValueError before anything of the batch is sent; a row the
  // database refuses (a constraint, OnConflict::Fail meeting an existing key) throws
  // DatabaseError naming it where the engine can tell which row it was. Returns the number of
  // rows written (inserted or, by Overwrite/Merge, updated; Skip's kept rows do not count).
  virtual std::size_t write_data(Connection& connection, const data::DataTable& table,
                                 const std::vector<std::string>& columns,
                                 const std::vector<data::Row>& rows,
                                 data::OnConflict on_conflict) const = 0;
  // Opens the read-only transaction `export` reads every table in, so that the tables of one
  // data set are one snapshot of the database. The default is a plain transaction (one snapshot
  // on SQLite, and on MySQL's default REPEATABLE READ from the first read); an engine whose
  // default isolation takes a snapshot per statement (PostgreSQL's READ COMMITTED) overrides it
  // with its repeatable-read spelling. The caller rolls it back when done.
  virtual void begin_read_snapshot(Connection& connection) const { connection.begin(); }
  // Verify's read-back of a large table on several connections at once (one server process
  // each: a server-bound read scales with them). Conditions in this engine's SQL (for
  // DataRead::where) that together take every row of `table` exactly once, at most `at_most` of
  // them, for the snapshot `connection` began with begin_read_snapshot. One empty condition (the
  // default, and for a small table): read it whole on `connection`.
  virtual std::vector<std::string> read_parts(Connection& connection, const data::DataTable& table,
                                              std::size_t at_most) const {
    (void)connection, (void)table, (void)at_most;
    return {""};
  }
  // Begins on `other` (another connection to the same database) a read snapshot that sees
  // exactly what `connection`'s, begun by begin_read_snapshot, sees: where read_parts' parts are
  // read. Only asked of an engine whose read_parts splits.
  virtual void share_read_snapshot(Connection& connection, Connection& other) const {
    (void)connection, (void)other;
    throw std::logic_error("this engine does not share read snapshots");
  }
  // After loading: moves the table's identity / serial / AUTO_INCREMENT counter past the
  // highest key in it, so that the next row the application inserts does not collide.
  virtual void reset_identity(Connection& connection, const data::DataTable& table) const = 0;
  // Whether `copy --create` should add a new table's primary key after its rows rather than
  // create the table with it: true where the key is an index beside the rows (PostgreSQL's heap),
  // so one sort after the load replaces an index insertion per row. Not on InnoDB (the rows are
  // kept in key order: adding the key later rewrites the table) nor SQLite (no ADD PRIMARY KEY).
  virtual bool adds_primary_key_after_load() const { return false; }

  // --- Scratch databases (check, tests) and copies (check --against) ---------------------------
  // A new, uniquely named, empty database on the server `server` names (a file engine: a new
  // file in $TMPDIR; its `check` opens the file or memory database it is given instead).
  virtual std::unique_ptr<ScratchDatabase> scratch_database(const DatabaseUrl& server,
                                                            const std::string& prefix) const = 0;
  // `check --against`: an exact copy of the database `original` names, made without writing to
  // it, dropped when the result goes out of scope; `method` tells how ("online backup",
  // "template"). nullptr when the engine cannot copy it so (now): check then fills a scratch
  // database from a backup and copies migpkg's tables row by row (database_copy.hpp).
  virtual std::unique_ptr<ScratchDatabase> exact_copy(const DatabaseUrl& original,
                                                      std::string& method) const {
    (void)original;
    (void)method;
    return nullptr;
  }
};

}  // namespace migpkg::runtime
