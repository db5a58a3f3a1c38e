// Batching a transform by key range, on the key the engine names (Engine::batch_key: SQLite's
// rowid, PostgreSQL's single-column integer primary key). Without such a key the transform runs as
// one statement (still set-based in the engine; only the progress bar loses its steps).
#include <algorithm>
#include <string>

#include "runtime/engines/engine_registry.hpp"
#include "runtime/executor/step_runner.hpp"

namespace migpkg::runtime {
namespace {

std::string replace_batch(std::string sql, const std::string& predicate) {
  auto at = sql.find("{batch}");
  if (at != std::string::npos) sql.replace(at, 7, predicate);
  return sql;
}

std::int64_t to_int(const std::optional<std::string>& v) {
  return v ? std::stoll(*v) : 0;
}

}  // namespace

void run_batched_transform(Connection& connection, const plan::Step& step,
                           const RunOptions& options) {
  const plan::TransformInfo& info = *step.transform;
  auto fail = [&](const std::string& sql, const DatabaseError& e) -> void {
    throw StepFailure(step.id, sql, e.what());
  };
  std::string key;
  std::int64_t total = 0, low = 0, high = -1;
  std::string range_sql;
  // The key range is read without the filter (MIN/MAX of a key is an index lookup; with the
  // filter it would be a scan); batches the filter leaves empty cost one index probe each.
  // Rows are counted only when someone shows progress: it is a full scan.
  std::string from_part = info.count_source.substr(std::string("SELECT COUNT(*)").size());
  std::string table_part = from_part.substr(0, from_part.find(" WHERE "));
  try {
    key = engine_of(connection).batch_key(connection, info);
    if (options.on_progress) total = to_int(connection.query(info.count_source).rows.at(0)[0]);
    if (!key.empty()) {
      range_sql = "SELECT MIN(" + key + "), MAX(" + key + ")" + table_part;
      auto range = connection.query(range_sql).rows.at(0);
      if (range[0]) {
        low = to_int(range[0]);
        high = to_int(range[1]);
      }
    }
  } catch (const DatabaseError& e) {
    fail(range_sql.empty() ? info.count_source : range_sql, e);
  }
  auto report = [&](std::int64_t done) {
    if (options.on_progress) options.on_progress({step.id, done, total});
  };
  report(0);
  if (key.empty()) {
    std::string sql = replace_batch(info.batched_insert, "1 = 1");
    try {
      connection.execute(sql);
    } catch (const DatabaseError& e) {
      fail(sql, e);
    }
    report(total);
    return;
  }
  // A batch covers batch_size key values, so at most batch_size rows; after each batch the
  // next one starts at the next key that exists, so sparse keys cost no empty batches.
  const std::int64_t span = info.batch_size;
  for (std::int64_t start = low; start <= high;) {
    std::int64_t end = start + span;
    std::string predicate =
        key + " >= " + std::to_string(start) + " AND " + key + " < " + std::to_string(end);
    std::string sql = replace_batch(info.batched_insert, predicate);
    std::string next_sql =
        "SELECT MIN(" + key + ")" + table_part + " WHERE " + key + " >= " + std::to_string(end);
    std::optional<std::string> next;
    try {
      connection.execute(sql);
      sql = next_sql;
      next = connection.query(next_sql).rows.at(0)[0];
    } catch (const DatabaseError& e) {
      fail(sql, e);
    }
    if (!next) break;
    start = to_int(next);
    // Progress by key position: exact for dense keys, an estimate for sparse ones.
    double fraction = high > low ? static_cast<double>(start - low) / (high - low + 1) : 1.0;
    report(std::min<std::int64_t>(total - 1, static_cast<std::int64_t>(fraction * total)));
  }
  report(total);
}

}  // namespace migpkg::runtime
