// The writes that record a migration's outcome: history, applied set, plugin rows. They are
// queued and, unless the caller defers them, written at once. Deferred, a run of many small
// migrations pays for a few multi-row statements at its commit instead of five statements
// (each prepared again after the migration's DDL changed the schema) per migration.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "compiler/planner/plan_json_reader.hpp"
#include "compiler/util/semver.hpp"
#include "runtime/history/bookkeeping.hpp"

namespace migpkg::runtime {
namespace {

// Well under SQLite's historical limit of 999 bound values.
constexpr std::size_t kMaxValuesPerStatement = 200;

// INSERT `head` VALUES ($1, ..$width), (...), ... in as few statements as the limit allows.
// The rows' values are moved into the statements: a run's applied rows hold every migration's
// plan, a megabyte for a few hundred small migrations, which copies would touch twice more.
void insert_rows(const Connection& c, const std::string& head, std::size_t width,
                 std::vector<Connection::Params>&& rows, std::vector<Connection::Statement>& out) {
  const std::size_t per_statement = std::max<std::size_t>(1, kMaxValuesPerStatement / width);
  for (std::size_t first = 0; first < rows.size(); first += per_statement) {
    std::size_t last = std::min(rows.size(), first + per_statement);
    std::string sql = head + " VALUES ";
    Connection::Params values;
    values.reserve((last - first) * width);
    for (std::size_t r = first; r < last; ++r) {
      sql += r == first ? "(" : ", (";
      for (std::size_t i = 0; i < width; ++i) {
        if (i) sql += ", ";
        sql += c.placeholder(values.size() + 1);
        values.push_back(std::move(rows[r][i]));
      }
      sql += ")";
    }
    out.push_back({std::move(sql), std::move(values)});
  }
}

// DELETE FROM `table` WHERE plugin_id = $1 AND migration_id IN ($2, ...) for (plugin, migration)
// pairs, a plugin and a bounded number of ids at a time.
void delete_migrations(const std::string& table,
                       const std::vector<std::pair<std::string, std::string>>& rows,
                       std::vector<Connection::Statement>& out) {
  const std::size_t per_statement = kMaxValuesPerStatement - 1;
  for (std::size_t first = 0; first < rows.size();) {
    const std::string& plugin_id = rows[first].first;
    Connection::Params values{plugin_id};
    std::string in;
    std::size_t next = first;
    while (next < rows.size() && rows[next].first == plugin_id && values.size() <= per_statement) {
      in += (in.empty() ? "$" : ", $") + std::to_string(values.size() + 1);
      values.push_back(rows[next].second);
      ++next;
    }
    out.push_back(
        {"DELETE FROM " + table + " WHERE plugin_id = $1 AND migration_id IN (" + in + ")",
         std::move(values)});
    first = next;
  }
}

std::string text(const std::optional<std::string>& value) {
  return value.value_or("");
}

std::optional<std::string> optional_text(const std::string& value) {
  return value.empty() ? std::nullopt : std::optional<std::string>(value);
}

}  // namespace

void Bookkeeping::add_history(HistoryRow row) {
  pending_history_.push_back(std::move(row));
  if (!deferring_) flush();
}

void Bookkeeping::mark_applied(const plan::Migration& m, const std::string& actor,
                               const std::string& at, const Provenance& provenance) {
  pending_applied_.push_back(
      {m.plugin_id, m.id, m.version, m.checksum, at, actor, migration_json_text(m), provenance});
  if (!deferring_) flush();
}

void Bookkeeping::mark_rolled_back(const std::string& plugin_id, const std::string& migration_id) {
  pending_rolled_back_.emplace_back(plugin_id, migration_id);
  if (!deferring_) flush();
}

void Bookkeeping::refresh_plugin(const std::string& plugin_id,
                                 const std::optional<std::vector<std::string>>& conflicts,
                                 const std::string& just_applied_version) {
  auto found = std::find_if(pending_plugins_.begin(), pending_plugins_.end(),
                            [&](const PendingPlugin& p) { return p.plugin_id == plugin_id; });
  if (found == pending_plugins_.end()) {
    pending_plugins_.push_back({plugin_id, std::nullopt, "", false});
    found = pending_plugins_.end() - 1;
  }
  if (conflicts) found->conflicts = conflicts;
  if (just_applied_version.empty()) {
    found->rescan = true;
  } else {
    auto applied = SemVer::parse(just_applied_version);
    auto highest = SemVer::parse(found->highest_applied);
    if (applied && (!highest || *highest < *applied)) found->highest_applied = just_applied_version;
  }
  if (!deferring_) flush();
}

Bookkeeping::Statements Bookkeeping::pending_statements() {
  deferring_ = false;
  // Moved out first: if a write fails, the caller rolls the transaction back and nothing of
  // it may be written again by a later flush.
  auto history = std::move(pending_history_);
  auto applied = std::move(pending_applied_);
  auto rolled_back = std::move(pending_rolled_back_);
  auto ended = std::move(pending_ended_inflight_);
  auto plugins = std::move(pending_plugins_);
  clear_pending();
  // A plugin whose version is found from its applied migrations has them read before this
  // flush's own applied rows are written, which then keep that list up to date.
  for (const auto& plugin : plugins)
    if (plugin.rescan || !plugin_row(plugin.plugin_id).exists) applied_versions(plugin.plugin_id);
  Statements out;
  write_history(std::move(history), out);
  write_applied(std::move(applied), out);
  write_rolled_back(rolled_back, out);
  write_ended_inflight(ended, out);
  for (const auto& plugin : plugins) write_plugin(plugin, out);
  return out;
}

void Bookkeeping::flush() {
  Statements statements = pending_statements();
  if (!statements.empty()) c_.execute_all(statements);
}

void Bookkeeping::commit_pending(std::vector<Connection::Statement> more) {
  c_.commit_after(take_pending(std::move(more)));
}

Bookkeeping::Statements Bookkeeping::take_pending(std::vector<Connection::Statement> more) {
  Statements statements = pending_statements();
  for (auto& statement : more) statements.push_back(std::move(statement));
  return statements;
}

void Bookkeeping::clear_pending() {
  pending_history_.clear();
  pending_applied_.clear();
  pending_rolled_back_.clear();
  pending_ended_inflight_.clear();
  pending_plugins_.clear();
}

void Bookkeeping::discard_pending() {
  clear_pending();
  forget_written_rows();
}

void Bookkeeping::forget_written_rows() {
  last_sequence_.reset();
  plugin_rows_.clear();
  applied_versions_.clear();
}

void Bookkeeping::write_history(std::vector<HistoryRow>&& rows, Statements& out) {
  if (rows.empty()) return;
  std::vector<Connection::Params> values;
  values.reserve(rows.size());
  for (auto& h : rows)
    values.push_back(
        {std::move(h.plugin_id), std::move(h.migration_id), std::move(h.version),
         std::move(h.direction), std::move(h.state), std::move(h.checksum), std::move(h.applied_by),
         std::move(h.started_at), std::move(h.finished_at), std::to_string(h.duration_ms),
         optional_text(h.backup), optional_text(h.error),
         h.skipped_steps.empty() ? std::string("[]") : nlohmann::json(h.skipped_steps).dump(),
         optional_text(h.provenance.package_sha256), optional_text(h.provenance.signing_key)});
  insert_rows(c_,
              "INSERT INTO migpkg_history (plugin_id, migration_id, version, direction, state, "
              "checksum, applied_by, started_at, finished_at, duration_ms, backup, error, "
              "skipped_steps, package_sha256, signing_key)",
              15, std::move(values), out);
}

void Bookkeeping::write_applied(std::vector<PendingApplied>&& rows, Statements& out) {
  if (rows.empty()) return;
  // One look at the highest sequence per run, then consecutive numbers: the run lock keeps any
  // other writer out, and the rows are written in the order the migrations were applied.
  if (!last_sequence_) {
    auto top = c_.query("SELECT COALESCE(MAX(sequence), 0) FROM migpkg_applied");
    last_sequence_ = std::stoll(text(top.rows.at(0).at(0)));
  }
  std::vector<Connection::Params> values;
  values.reserve(rows.size());
  for (auto& a : rows) {
    if (auto known = applied_versions_.find(a.plugin_id); known != applied_versions_.end())
      known->second[a.migration_id] = a.version;
    values.push_back({std::move(a.plugin_id), std::move(a.migration_id), std::move(a.version),
                      std::move(a.checksum), std::move(a.at), std::move(a.actor),
                      std::to_string(++*last_sequence_), std::move(a.plan_json),
                      optional_text(a.provenance.package_sha256),
                      optional_text(a.provenance.signing_key)});
  }
  insert_rows(c_,
              "INSERT INTO migpkg_applied (plugin_id, migration_id, version, checksum, "
              "applied_at, applied_by, sequence, plan, package_sha256, signing_key)",
              10, std::move(values), out);
}

void Bookkeeping::write_rolled_back(const std::vector<std::pair<std::string, std::string>>& rows,
                                    Statements& out) {
  for (const auto& [plugin_id, migration_id] : rows)
    if (auto known = applied_versions_.find(plugin_id); known != applied_versions_.end())
      known->second.erase(migration_id);
  delete_migrations("migpkg_applied", rows, out);
}

void Bookkeeping::write_ended_inflight(const std::vector<std::pair<std::string, std::string>>& rows,
                                       Statements& out) {
  delete_migrations("migpkg_journal", rows, out);
  delete_migrations("migpkg_inflight", rows, out);
}

Bookkeeping::PluginRow& Bookkeeping::plugin_row(const std::string& plugin_id) {
  auto found = plugin_rows_.find(plugin_id);
  if (found != plugin_rows_.end()) return found->second;
  auto existing =
      c_.query("SELECT conflicts, version FROM migpkg_plugins WHERE plugin_id = $1", {plugin_id});
  PluginRow row;
  if (!existing.rows.empty()) {
    row.exists = true;
    row.conflicts_json = text(existing.rows[0][0]);
    row.version = text(existing.rows[0][1]);
  }
  return plugin_rows_.emplace(plugin_id, std::move(row)).first->second;
}

std::map<std::string, std::string>& Bookkeeping::applied_versions(const std::string& plugin_id) {
  auto found = applied_versions_.find(plugin_id);
  if (found != applied_versions_.end()) return found->second;
  // Only the versions: the applied rows also hold each migration's plan, which must not be
  // read back here.
  std::map<std::string, std::string> versions;
  for (const auto& row :
       c_.query("SELECT migration_id, version FROM migpkg_applied WHERE plugin_id = $1",
                {plugin_id})
           .rows)
    versions[text(row[0])] = text(row[1]);
  return applied_versions_.emplace(plugin_id, std::move(versions)).first->second;
}

void Bookkeeping::write_plugin(const PendingPlugin& p, Statements& out) {
  PluginRow& row = plugin_row(p.plugin_id);
  std::string conflicts_json = p.conflicts   ? nlohmann::json(*p.conflicts).dump()
                               : !row.exists ? "[]"
                                             : row.conflicts_json;
  std::string now = utc_now();
  std::string version;
  if (!p.rescan && row.exists) {
    // Only applied since the stored version was written: the greater of the two.
    auto stored = SemVer::parse(row.version);
    auto applied = SemVer::parse(p.highest_applied);
    version = stored && applied && *stored < *applied ? p.highest_applied : row.version;
  } else {
    // The applied rows as written so far, this run's pending ones included (written above).
    std::optional<SemVer> best;
    for (const auto& [migration, applied] : applied_versions(p.plugin_id))
      if (auto v = SemVer::parse(applied); v && (!best || *best < *v)) best = v;
    if (!best) {
      out.push_back(
          {"DELETE FROM migpkg_plugins WHERE plugin_id = $1", Connection::Params{p.plugin_id}});
      row = PluginRow{};
      return;
    }
    version = best->to_string();
  }
  if (!row.exists)
    out.push_back(
        {"INSERT INTO migpkg_plugins (plugin_id, version, installed_at, updated_at, conflicts) "
         "VALUES ($1, $2, $3, $3, $4)",
         Connection::Params{p.plugin_id, version, now, conflicts_json}});
  else
    out.push_back(
        {"UPDATE migpkg_plugins SET version = $2, updated_at = $3, conflicts = $4 WHERE "
         "plugin_id = $1",
         Connection::Params{p.plugin_id, version, now, conflicts_json}});
  row = PluginRow{true, conflicts_json, version};
}

}  // namespace migpkg::runtime
