#include "runtime/history/bookkeeping.hpp"

#include <chrono>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "compiler/planner/plan_json_reader.hpp"
#include "compiler/util/semver.hpp"
#include "runtime/engines/engine_registry.hpp"

namespace migpkg::runtime {
namespace {

using json = nlohmann::json;

// Portable DDL (the current version's: an older database gets the columns added since by
// upgrade_tables, in the same order, bookkeeping_upgrade.cpp): text everywhere, times as ISO-8601
// text written by migpkg (so every engine stores and sorts them alike). Three spellings differ
// between engines (BookkeepingTypes): the identity column, text in a key (MySQL cannot index TEXT,
// so VARCHAR(255) there) and unbounded text elsewhere (MySQL's TEXT holds 64 KB, too little for a
// stored plan: LONGTEXT there). "key" is quoted because it is a reserved word in MySQL.
struct BookkeepingTypes {
  std::string id, key_text, long_text;
};

BookkeepingTypes bookkeeping_types(Connection& c) {
  const EngineSpellings& spellings = engine_of(c).spellings();
  return {spellings.auto_id_column, spellings.key_text, spellings.long_text};
}

// migpkg_meta comes last: tables_exist() looks for it, and on an engine where every CREATE
// commits by itself (MySQL) a run stopped half-way must not leave it behind the others.
struct BookkeepingObject {
  std::string name, ddl;
};
std::vector<BookkeepingObject> bookkeeping_ddl(const BookkeepingTypes& t) {
  const std::string& key = t.key_text;
  const std::string& text = t.long_text;
  std::vector<BookkeepingObject> out;
  for (std::string ddl : std::vector<std::string>{
           "CREATE TABLE migpkg_plugins (plugin_id " + key + " PRIMARY KEY, version " + text +
               " NOT NULL, installed_at " + text + " NOT NULL, updated_at " + text +
               " NOT NULL, conflicts " + text + " NOT NULL)",
           "CREATE TABLE migpkg_applied (plugin_id " + key + " NOT NULL, migration_id " + key +
               " NOT NULL, version " + text + " NOT NULL, checksum " + text +
               " NOT NULL, applied_at " + text + " NOT NULL, applied_by " + text +
               " NOT NULL, sequence BIGINT NOT NULL, plan " + text + " NOT NULL, package_sha256 " +
               text + ", signing_key " + text + ", PRIMARY KEY (plugin_id, migration_id))",
           // MAX(sequence) runs once per applied migration: an index keeps it from scanning the
           // table.
           "CREATE INDEX migpkg_applied_sequence ON migpkg_applied (sequence)",
           "CREATE TABLE migpkg_journal (plugin_id " + key + " NOT NULL, migration_id " + key +
               " NOT NULL, direction " + key + " NOT NULL, step_index INTEGER NOT NULL, step_id " +
               text + " NOT NULL, at " + text +
               " NOT NULL, PRIMARY KEY (plugin_id, migration_id, direction, step_index))",
           "CREATE TABLE migpkg_inflight (plugin_id " + key + " NOT NULL, migration_id " + key +
               " NOT NULL, version " + text + " NOT NULL, direction " + text +
               " NOT NULL, checksum " + text + " NOT NULL, started_at " + text +
               " NOT NULL, plan " + text + " NOT NULL, PRIMARY KEY (plugin_id, migration_id))",
           "CREATE TABLE migpkg_history (id " + t.id + ", plugin_id " + text +
               " NOT NULL, migration_id " + text + " NOT NULL, version " + text +
               " NOT NULL, direction " + text + " NOT NULL, state " + text +
               " NOT NULL, checksum " + text + " NOT NULL, applied_by " + text +
               " NOT NULL, started_at " + text + " NOT NULL, finished_at " + text +
               " NOT NULL, duration_ms BIGINT NOT NULL, backup " + text + ", error " + text +
               ", skipped_steps " + text + " NOT NULL, package_sha256 " + text + ", signing_key " +
               text + ")",
           "CREATE TABLE migpkg_audit (id " + t.id + ", at " + text + " NOT NULL, actor " + text +
               " NOT NULL, command " + text + " NOT NULL, arguments " + text +
               " NOT NULL, outcome " + text + " NOT NULL, detail " + text + " NOT NULL)",
           "CREATE TABLE migpkg_meta (\"key\" " + key + " PRIMARY KEY, value " + text +
               " NOT NULL)",
       }) {
    // The object's name: the word after TABLE, or after INDEX.
    std::size_t start = ddl.find("migpkg_");
    out.push_back({ddl.substr(start, ddl.find(' ', start) - start), ddl});
  }
  return out;
}

std::string value(const Row& row, std::size_t i) {
  return row[i].value_or("");
}

// `select_from` (a SELECT ... FROM table), limited to one plugin unless `plugin_id` is empty.
ResultSet select_for_plugin(Connection& c, const std::string& select_from,
                            const std::string& plugin_id, const std::string& order_by) {
  if (plugin_id.empty()) return c.query(select_from + " ORDER BY " + order_by);
  return c.query(select_from + " WHERE plugin_id = $1 ORDER BY " + order_by, {plugin_id});
}

std::int64_t number(const Row& row, std::size_t i) {
  return row[i] ? std::stoll(*row[i]) : 0;
}

}  // namespace

std::string utc_now() {
  auto now = std::chrono::system_clock::now();
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buffer, static_cast<int>(ms));
  return out;
}

bool Bookkeeping::tables_exist() {
  return engine_of(c_).own_table_exists(c_, "migpkg_meta");
}

int Bookkeeping::version() {
  if (!version_) {
    auto result = c_.query("SELECT value FROM migpkg_meta WHERE \"key\" = 'bookkeeping_version'");
    version_ = result.rows.empty() ? 0 : std::stoi(value(result.rows[0], 0));
  }
  return *version_;
}

void Bookkeeping::check_version() {
  const int version = this->version();
  if (version > kBookkeepingVersion)
    throw std::runtime_error("this database's migpkg tables are version " +
                             std::to_string(version) + "; this migpkg understands up to " +
                             std::to_string(kBookkeepingVersion) + ": upgrade migpkg");
}

void Bookkeeping::ensure_tables() {
  if (tables_exist()) {
    check_version();
    if (version() < kBookkeepingVersion) upgrade_tables(version());
    return;
  }
  const std::vector<BookkeepingObject> ddl = bookkeeping_ddl(bookkeeping_types(c_));
  // Objects a run stopped half-way left (possible only where each CREATE commits) are kept.
  std::set<std::string> existing;
  for (const Row& row : engine_of(c_).list_objects(c_).rows)
    if (row.size() > 1 && row[1]) existing.insert(*row[1]);
  // Inside the caller's transaction when there is one (start_run), else in one of its own.
  const bool own_transaction = !c_.in_transaction();
  if (own_transaction) c_.begin();
  try {
    bool left_behind = false;
    for (const BookkeepingObject& object : ddl) {
      if (!existing.count(object.name))
        c_.execute(object.ddl);
      else
        left_behind = true;
    }
    if (left_behind) {
      // Tables an older migpkg's stopped run created lack the columns added since.
      upgrade_tables(0);
    } else {
      c_.execute("INSERT INTO migpkg_meta (\"key\", value) VALUES ('bookkeeping_version', $1)",
                 {std::to_string(kBookkeepingVersion)});
    }
    if (own_transaction) c_.commit();
    version_ = kBookkeepingVersion;
  } catch (...) {
    if (own_transaction && c_.in_transaction()) c_.rollback();
    throw;
  }
}

RunStart Bookkeeping::start_run(const std::string& actor, const std::string& command,
                                const std::string& arguments) {
  // One commit for all three: a run's fixed cost is a few fsyncs, and these are most of them.
  RunStart start;
  c_.begin();
  try {
    ensure_tables();
    start.interrupted = take_interrupted_runs();  // before this run's own row is written
    start.audit_id = audit_start(actor, command, arguments);
    c_.commit();
  } catch (...) {
    if (c_.in_transaction()) c_.rollback();
    version_.reset();  // an upgrade or creation may have been rolled back with it
    throw;
  }
  return start;
}

std::vector<InstalledPlugin> Bookkeeping::plugins() {
  std::vector<InstalledPlugin> out;
  for (const auto& row : c_.query("SELECT plugin_id, version, installed_at, updated_at, conflicts "
                                  "FROM migpkg_plugins ORDER BY plugin_id")
                             .rows) {
    InstalledPlugin p{value(row, 0), value(row, 1), value(row, 2), value(row, 3), {}};
    for (const auto& c : json::parse(value(row, 4), nullptr, false))
      p.conflicts.push_back(c.get<std::string>());
    out.push_back(p);
  }
  return out;
}

std::vector<AppliedMigration> Bookkeeping::applied(const std::string& plugin_id,
                                                   bool with_plan_text) {
  const bool provenance = records_provenance();
  auto result = select_for_plugin(
      c_,
      std::string("SELECT plugin_id, migration_id, version, checksum, applied_at, applied_by, "
                  "sequence, ") +
          (with_plan_text ? "plan" : "''") + (provenance ? ", package_sha256, signing_key" : "") +
          " FROM migpkg_applied",
      plugin_id, "sequence");
  std::vector<AppliedMigration> out;
  for (const auto& row : result.rows) {
    out.push_back({value(row, 0), value(row, 1), value(row, 2), value(row, 3), value(row, 4),
                   value(row, 5), number(row, 6), value(row, 7),
                   provenance ? Provenance{value(row, 8), value(row, 9)} : Provenance{}});
  }
  return out;
}

std::vector<JournalEntry> Bookkeeping::journal() {
  std::vector<JournalEntry> out;
  for (const auto& row :
       c_.query("SELECT plugin_id, migration_id, direction, step_id, at, step_index "
                "FROM migpkg_journal ORDER BY plugin_id, migration_id, step_index")
           .rows)
    out.push_back({value(row, 0), value(row, 1), value(row, 2), value(row, 3), value(row, 4),
                   static_cast<int>(number(row, 5))});
  return out;
}

std::vector<HistoryRow> Bookkeeping::history(const std::string& plugin_id) {
  const bool provenance = records_provenance();
  auto result = select_for_plugin(
      c_,
      std::string("SELECT id, plugin_id, migration_id, version, direction, state, checksum, "
                  "applied_by, started_at, finished_at, duration_ms, backup, error, "
                  "skipped_steps") +
          (provenance ? ", package_sha256, signing_key" : "") + " FROM migpkg_history",
      plugin_id, "id");
  std::vector<HistoryRow> out;
  for (const auto& row : result.rows) {
    HistoryRow h;
    h.id = number(row, 0);
    h.plugin_id = value(row, 1);
    h.migration_id = value(row, 2);
    h.version = value(row, 3);
    h.direction = value(row, 4);
    h.state = value(row, 5);
    h.checksum = value(row, 6);
    h.applied_by = value(row, 7);
    h.started_at = value(row, 8);
    h.finished_at = value(row, 9);
    h.duration_ms = number(row, 10);
    h.backup = value(row, 11);
    h.error = value(row, 12);
    for (const auto& s : json::parse(value(row, 13), nullptr, false))
      h.skipped_steps.push_back(s.get<std::string>());
    if (provenance) h.provenance = {value(row, 14), value(row, 15)};
    out.push_back(h);
  }
  return out;
}

Connection::Statement Bookkeeping::journal_statement(const std::string& plugin_id,
                                                     const std::string& migration_id,
                                                     const std::string& direction, int step_index,
                                                     const std::string& step_id) const {
  return {
      "INSERT INTO migpkg_journal (plugin_id, migration_id, direction, step_index, step_id, "
      "at) VALUES ($1, $2, $3, $4, $5, $6)",
      Connection::Params{plugin_id, migration_id, direction, std::to_string(step_index), step_id,
                         utc_now()}};
}

Connection::Statement Bookkeeping::unjournal_statement(const std::string& plugin_id,
                                                       const std::string& migration_id,
                                                       const std::string& direction,
                                                       int step_index) const {
  return {
      "DELETE FROM migpkg_journal WHERE plugin_id = $1 AND migration_id = $2 AND direction = "
      "$3 AND step_index = $4",
      Connection::Params{plugin_id, migration_id, direction, std::to_string(step_index)}};
}

Connection::Statement Bookkeeping::inflight_statement(const plan::Migration& m,
                                                      const std::string& direction) const {
  return {
      "INSERT INTO migpkg_inflight (plugin_id, migration_id, version, direction, checksum, "
      "started_at, plan) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      Connection::Params{m.plugin_id, m.id, m.version, direction, m.checksum, utc_now(),
                         direction == "down" ? std::string() : migration_json_text(m)}};
}

void Bookkeeping::journal_step(const std::string& plugin_id, const std::string& migration_id,
                               const std::string& direction, int step_index,
                               const std::string& step_id) {
  c_.execute_all({journal_statement(plugin_id, migration_id, direction, step_index, step_id)});
}

void Bookkeeping::unjournal_step(const std::string& plugin_id, const std::string& migration_id,
                                 const std::string& direction, int step_index) {
  c_.execute_all({unjournal_statement(plugin_id, migration_id, direction, step_index)});
}

void Bookkeeping::begin_inflight(const plan::Migration& m, const std::string& direction) {
  c_.execute_all({inflight_statement(m, direction)});
}

void Bookkeeping::end_inflight(const std::string& plugin_id, const std::string& migration_id) {
  pending_ended_inflight_.emplace_back(plugin_id, migration_id);
  if (!deferring_) flush();
}

std::vector<InflightMigration> Bookkeeping::inflight() {
  std::vector<InflightMigration> out;
  for (const auto& row : c_.query("SELECT plugin_id, migration_id, version, direction, checksum, "
                                  "started_at, plan FROM migpkg_inflight ORDER BY started_at")
                             .rows) {
    out.push_back({value(row, 0), value(row, 1), value(row, 2), value(row, 3), value(row, 4),
                   value(row, 5), value(row, 6)});
    // A down's row has no plan of its own: its applied row's (inflight_statement). Looked up
    // only then, so that reading a database with nothing half-undone reads no applied plan.
    InflightMigration& f = out.back();
    if (f.plan_json.empty()) {
      auto applied =
          c_.query("SELECT plan FROM migpkg_applied WHERE plugin_id = $1 AND migration_id = $2",
                   {f.plugin_id, f.migration_id});
      if (!applied.rows.empty()) f.plan_json = value(applied.rows[0], 0);
    }
    if (f.plan_json.empty())
      throw std::runtime_error("the in-flight record of " + f.plugin_id + "/" + f.migration_id +
                               " (" + f.direction +
                               ") has no plan, and the migration has no applied row to take it "
                               "from (migpkg_inflight, migpkg_applied)");
  }
  return out;
}

std::int64_t Bookkeeping::audit_start(const std::string& actor, const std::string& command,
                                      const std::string& arguments) {
  return engine_of(c_).insert_returning_id(
      c_,
      "INSERT INTO migpkg_audit (at, actor, command, arguments, outcome, detail) VALUES ($1, $2, "
      "$3, $4, 'running', '')",
      {utc_now(), actor, command, arguments});
}

void Bookkeeping::audit_finish(std::int64_t id, const std::string& outcome,
                               const std::string& detail) {
  c_.execute("UPDATE migpkg_audit SET outcome = $2, detail = $3 WHERE id = $1",
             {std::to_string(id), outcome, detail});
}

std::vector<std::string> Bookkeeping::take_interrupted_runs() {
  std::vector<std::string> out;
  for (const auto& row : c_.query("SELECT id, at, actor, command, arguments FROM migpkg_audit "
                                  "WHERE outcome = 'running' ORDER BY id")
                             .rows) {
    out.push_back(value(row, 1) + " " + value(row, 2) + ": migpkg " + value(row, 4));
    audit_finish(number(row, 0), "interrupted",
                 "the run ended without finishing (killed or crashed)");
  }
  return out;
}

}  // namespace migpkg::runtime
