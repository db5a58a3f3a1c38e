#include "runtime/data/data_move.hpp"

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "compiler/schema/type_names.hpp"
#include "runtime/data/content_digest.hpp"
#include "runtime/data/fit_rows.hpp"
#include "runtime/data/portable_values.hpp"
#include "runtime/data/read_ahead.hpp"
#include "runtime/data/read_back.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/engines/sql_names.hpp"

namespace migpkg::data {
namespace {

using Clock = std::chrono::steady_clock;

// Batches waiting between the reader and the writer (read_ahead.hpp): one lets each side work
// while the other does, and keeps memory at three batches (one written, one waiting, one read),
// which even a table of three batches reaches, so peak memory does not grow with the rows.
constexpr std::size_t kReadAheadBatches = 1;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::vector<std::size_t> column_indexes(const std::vector<std::string>& columns,
                                        const std::vector<std::string>& names) {
  std::vector<std::size_t> out;
  for (const std::string& name : names)
    for (std::size_t i = 0; i < columns.size(); ++i)
      if (columns[i] == name) out.push_back(i);
  return out;
}

std::vector<std::string> column_names(const DataTable& table) {
  std::vector<std::string> out;
  for (const DataColumn& column : table.columns) out.push_back(column.name);
  return out;
}

Row pick(const Row& row, const std::vector<std::size_t>& indexes) {
  Row out;
  for (std::size_t i : indexes) out.push_back(row[i]);
  return out;
}

// The target key of a projected row, or nullopt when the target has no key or the projection
// does not fill it.
std::optional<Row> target_key(const DataTable& target, const std::vector<std::string>& columns,
                              const Row& projected) {
  if (target.primary_key.empty()) return std::nullopt;
  std::vector<std::size_t> at = column_indexes(columns, target.primary_key);
  if (at.size() != target.primary_key.size()) return std::nullopt;
  return pick(projected, at);
}

// Adds `row` (one value per target column) to `digest` as the target columns hold it, which is
// how verify() reads the target back.
// Every value is fitted to its column in place (the engine fits it again when it writes, to
// the same value: fitting is idempotent, and checking a value in its fitted form is cheap). A
// value that does not fit as it is (a zoned time for a column without a zone, which the engine
// converts) is left in the row and goes into the digest through as_column_holds, on a copy of
// the row: the rare case.
void add_as_held(ContentDigest& digest, const std::vector<const DataColumn*>& into, Row& row) {
  std::vector<std::size_t> unfitted;  // empty (no allocation) in the common case
  for (std::size_t i = 0; i < row.size() && i < into.size(); ++i) {
    if (!into[i] || !row[i] || portable::fits_as_it_is(into[i]->type, *row[i])) continue;
    try {
      portable::fit(into[i]->type, *row[i]);
    } catch (const std::invalid_argument&) {
      unfitted.push_back(i);
    }
  }
  if (unfitted.empty()) return digest.add(row);
  Row held = row;
  for (std::size_t i : unfitted) held[i] = as_column_holds(into[i]->type, row[i]);
  digest.add(held);
}

// The values of a written row that are a source time without a zone going into a column with
// one: taken as UTC (as_column_holds).
std::vector<std::pair<std::size_t, const ir::ColumnType*>> zoned_columns(
    const TableSource& source, const RowProjection& projection, const DataTable& target) {
  const std::vector<std::string>& columns = projection.target_columns();
  std::vector<std::pair<std::size_t, const ir::ColumnType*>> zoned;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const DataColumn* into = target.find_column(columns[i]);
    const DataColumn& from = source.table().columns[projection.source_columns()[i]];
    if (into && into->type.kind == ir::ColumnType::Kind::TimestampTz &&
        from.type.kind == ir::ColumnType::Kind::Timestamp)
      zoned.push_back({i, &into->type});
  }
  return zoned;
}

std::uint64_t value_bytes(const std::vector<Row>& rows) {
  std::uint64_t bytes = 0;
  for (const Row& row : rows)
    for (const Value& value : row) bytes += value ? value->size() : 0;
  return bytes;
}

}  // namespace

Value as_column_holds(const ir::ColumnType& type, const Value& value) {
  if (!value) return value;
  std::string text = *value;
  try {
    portable::fit(type, text);
    return text;
  } catch (const std::invalid_argument&) {
  }
  // A time without a zone in a column with one is the UTC time: how migpkg's engines keep a
  // timestamptz where the database has no zone type (SQLite's text, MySQL's DATETIME).
  if (type.kind == ir::ColumnType::Kind::TimestampTz) {
    try {
      return portable::timestamptz(*value, true);
    } catch (const std::invalid_argument&) {
    }
  }
  if (type.kind == ir::ColumnType::Kind::Timestamp) {
    try {
      std::string instant = portable::timestamptz(*value);
      instant.pop_back();  // the "Z"
      return instant;
    } catch (const std::invalid_argument&) {
    }
  }
  return value;
}

// The refused rows of a lenient run, and the keys they had: fail mode's undo must not delete a
// row the target held before under the key of a row this run refused.
struct DataMove::Rejects {
  std::ofstream file;
  std::map<std::string, std::set<std::string>> keys;  // target table -> key_json
};

DataMove::DataMove(runtime::Connection& target, MoveOptions options)
    : c_(target), options_(std::move(options)), runs_(target), rejects_(new Rejects) {}

DataMove::~DataMove() = default;

void DataMove::prepare() {
  runs_.ensure_table();
  runtime::ResultSet earlier = c_.query(
      "SELECT COUNT(*) FROM migpkg_data_runs WHERE run_key = $1 AND table_name NOT LIKE '#%'",
      {options_.run_key});
  resuming_ = !earlier.rows.empty() && earlier.rows[0][0].value_or("0") != "0";
  if (!options_.lenient) return;
  if (resuming_) {
    // The rows an earlier run of the same command refused are in the file already.
    std::ifstream in(options_.rejects_path);
    std::string line;
    while (std::getline(in, line)) {
      nlohmann::json entry = nlohmann::json::parse(line, nullptr, false);
      if (entry.is_object() && entry.contains("table") && entry.contains("keyHex") &&
          entry["keyHex"].is_string())
        rejects_->keys[entry["table"].get<std::string>()].insert(
            entry["keyHex"].get<std::string>());
    }
  }
  rejects_->file.open(options_.rejects_path, resuming_ ? std::ios::app | std::ios::binary
                                                       : std::ios::trunc | std::ios::binary);
  if (!rejects_->file) throw MoveError("cannot write the rejects file " + options_.rejects_path);
}

std::uint64_t DataMove::count_rows(const std::string& table) {
  runtime::ResultSet result = c_.query("SELECT COUNT(*) FROM " + runtime::double_quoted(table));
  return result.rows.empty() ? 0 : std::stoull(result.rows[0][0].value_or("0"));
}

void DataMove::reject(const TableSource& source, const RowProjection& projection, const Row& row,
                      const ValueError& error, const DataTable& target) {
  const std::string& target_table = target.name;
  const DataTable& table = source.table();
  nlohmann::json values = nlohmann::json::object();
  for (std::size_t i = 0; i < table.columns.size() && i < row.size(); ++i)
    values[table.columns[i].name] = row[i] ? nlohmann::json(*row[i]) : nlohmann::json(nullptr);
  // The key the row would have had in the target (fail mode's undo skips it); when a
  // transform refused the row, the source's key.
  std::string key_hex;
  try {
    Row projected = projection.apply(row);
    key_hex =
        key_json(pick(projected, column_indexes(projection.target_columns(), target.primary_key)));
  } catch (const ValueError&) {
    key_hex = key_json(pick(row, column_indexes(column_names(table), table.primary_key)));
  }
  nlohmann::json entry = {{"table", target_table},    {"sourceTable", table.name},
                          {"key", error.key()},       {"keyHex", key_hex},
                          {"column", error.column()}, {"value", error.value()},
                          {"reason", error.reason()}, {"row", values}};
  // Values are UTF-8 text but for Bytes columns: such bytes are shown replaced (U+FFFD).
  rejects_->file << entry.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  rejects_->file.flush();
  if (!rejects_->file) throw MoveError("cannot write the rejects file " + options_.rejects_path);
  rejects_->keys[target_table].insert(key_hex);
}

std::size_t DataMove::write_batch(TableSource& source, const RowProjection& projection,
                                  const DataTable& target, std::vector<Row>& source_rows,
                                  TableResult& result, ContentDigest* digest, bool prepared) {
  const runtime::Engine& engine = runtime::engine_of(c_);
  const std::vector<std::string>& columns = projection.target_columns();
  std::vector<const DataColumn*> written_into;  // the target column of each value
  for (const std::string& column : columns) written_into.push_back(target.find_column(column));
  const std::vector<std::pair<std::size_t, const ir::ColumnType*>> zoned =
      zoned_columns(source, projection, target);
  std::vector<Row> rows;
  std::vector<const Row*> origin;  // the source row of each projected row
  // Rows that go in as they are (no mapping) are not copied; a lenient run keeps the source
  // rows for the rejects file.
  const bool as_they_are = !options_.lenient && projection.is_identity();
  if (as_they_are) {
    rows = std::move(source_rows);
    for (Row& row : rows)
      for (const auto& [i, type] : zoned)
        if (!prepared) row[i] = as_column_holds(*type, row[i]);
  } else {
    rows.reserve(source_rows.size());
  }
  // (Indexes, not a range over a conditional: `origin` points into source_rows itself.)
  for (std::size_t r = 0; !as_they_are && r < source_rows.size(); ++r) {
    const Row& row = source_rows[r];
    try {
      rows.push_back(projection.apply(row));
      for (const auto& [i, type] : zoned) rows.back()[i] = as_column_holds(*type, rows.back()[i]);
      origin.push_back(&row);
    } catch (const ValueError& error) {
      if (!options_.lenient) throw;
      reject(source, projection, row, error, target);
      ++result.rejects;
    }
  }
  try {
    std::size_t written = engine.write_data(c_, target, columns, rows, options_.on_conflict);
    result.bytes += value_bytes(rows);
    if (digest)
      for (Row& row : rows) add_as_held(*digest, written_into, row);
    return written;
  } catch (const ValueError&) {
    if (!options_.lenient) throw;
  }
  // A value the target cannot hold is found before anything of the batch is sent: write the
  // batch again a row at a time, and set aside the rows refused.
  std::size_t written = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    try {
      written += engine.write_data(c_, target, columns, {rows[i]}, options_.on_conflict);
      result.bytes += value_bytes({rows[i]});
      if (digest) add_as_held(*digest, written_into, rows[i]);
    } catch (const ValueError& error) {
      reject(source, projection, *origin[i], error, target);
      ++result.rejects;
    }
  }
  return written;
}

TableResult DataMove::load(TableSource& source, const DataTable& target) {
  const DataTable& table = source.table();
  TableResult result;
  result.source_table = table.name;
  result.target_table = target.name;
  const TableMapping* mapping = options_.mapping ? options_.mapping->find(table.name) : nullptr;
  RowProjection projection(table, mapping);
  load_digests_.erase(target.name);
  Checkpoint checkpoint;
  if (std::optional<Checkpoint> saved = runs_.load(options_.run_key, target.name))
    checkpoint = *saved;
  else
    checkpoint.target_rows_before = count_rows(target.name);
  result.resumed_after = checkpoint.rows_done;
  if (checkpoint.finished) {
    result.already_done = true;
    return result;
  }
  // Without a key neither the source can go on after a row nor fail mode's undo find the
  // rows again: such a table is loaded in one transaction, which a rerun does again whole.
  const bool one_transaction = !source.resumable() || target.primary_key.empty();
  if (one_transaction) checkpoint.rows_done = 0, checkpoint.last_key.reset();
  // Rows an earlier run wrote are not seen here: then verify() reads the source again.
  LoadDigest& hashed = load_digests_[target.name];
  hashed = LoadDigest{};
  hashed.whole = checkpoint.rows_done == 0;
  std::vector<std::size_t> source_key = column_indexes(column_names(table), table.primary_key);
  const Clock::time_point start = Clock::now();
  std::optional<std::pair<std::uint64_t, std::string>> known = source.known_digest();
  const std::uint64_t total = known ? known->first : 0;
  // Rows that go in as they are get their zone conversions, their fitting and their digest on
  // the reader thread, before they are written: less work on this thread, which writes, and
  // the engine's own fitting then finds every value fitted and copies no row. A strict run
  // stops at the first row the target refuses, so every row of the digest is one that was
  // written when the run is verified.
  std::function<void(std::vector<Row>&)> prepare;
  if (!options_.lenient && projection.is_identity()) {
    std::vector<const DataColumn*> into;
    for (const std::string& column : projection.target_columns())
      into.push_back(target.find_column(column));
    prepare = [&hashed, into,
               zoned = zoned_columns(source, projection, target)](std::vector<Row>& rows) {
      for (Row& row : rows) {
        for (const auto& [i, type] : zoned) row[i] = as_column_holds(*type, row[i]);
        if (hashed.whole) add_as_held(hashed.digest, into, row);
      }
    };
  }
  c_.begin();
  try {
    // The source is read on another thread while this one writes; batches, checkpoints and
    // commits stay in order on this one.
    read_ahead(source, checkpoint, options_.batch_rows, kReadAheadBatches, prepare,
               [&](std::vector<Row> rows) {
                 if (rows.empty()) return;
                 const std::size_t count = rows.size();
                 // Taken before writing: write_batch may take the rows over.
                 std::optional<Row> last_key;
                 if (!source_key.empty()) last_key = pick(rows.back(), source_key);
                 result.rows_read += count;
                 result.rows_written +=
                     write_batch(source, projection, target, rows, result,
                                 hashed.whole && !prepare ? &hashed.digest : nullptr,
                                 static_cast<bool>(prepare));
                 checkpoint.rows_done += count;
                 if (last_key) checkpoint.last_key = std::move(last_key);
                 if (!one_transaction) {
                   runs_.save(options_.run_key, target.name, checkpoint);
                   c_.commit();
                   c_.begin();
                 }
                 if (options_.progress)
                   options_.progress({target.name, checkpoint.rows_done, total,
                                      seconds_since(start), result.rows_read});
                 // A table loaded in one transaction has no safe point inside: the rollback below
                 // drops its rows and a rerun loads it whole, as after a kill.
                 if (options_.cancel_requested && options_.cancel_requested())
                   throw MoveCancelled("cancelled in table " + target.name + " after " +
                                       std::to_string(checkpoint.rows_done) + " rows");
               });
    checkpoint.finished = true;
    runs_.save(options_.run_key, target.name, checkpoint);
    c_.commit();
  } catch (...) {
    if (c_.in_transaction()) c_.rollback();
    throw;
  }
  result.seconds = seconds_since(start);
  return result;
}

void DataMove::verify(TableSource& source, const DataTable& target, TableResult& result) {
  const DataTable& table = source.table();
  const TableMapping* mapping = options_.mapping ? options_.mapping->find(table.name) : nullptr;
  RowProjection projection(table, mapping);
  std::optional<Checkpoint> checkpoint = runs_.load(options_.run_key, target.name);
  const std::uint64_t before = checkpoint ? checkpoint->target_rows_before : 0;
  const std::set<std::string>& refused = rejects_->keys[target.name];

  // The source side: the rows as they were written (projected, refused rows left out).
  ContentDigest expected;
  std::optional<std::pair<std::uint64_t, std::string>> known = source.known_digest();
  const bool projection_is_identity =
      !mapping && projection.target_columns() == column_names(table);
  // The manifest's digest holds when the rows went in as they are: no mapping, nothing refused,
  // and every target column of the data set's type (else the target may hold a value in its
  // own spelling: a SQLite text UUID in a PostgreSQL uuid).
  bool same_types = true;
  for (const DataColumn& column : table.columns) {
    const DataColumn* into = target.find_column(column.name);
    same_types =
        same_types && into && schema::type_name(into->type) == schema::type_name(column.type);
  }
  auto hashed = load_digests_.find(target.name);
  if (known && projection_is_identity && refused.empty() && same_types) {
    result.source_rows = known->first;
    result.source_hash = known->second;
  } else if (hashed != load_digests_.end() && hashed->second.whole) {
    // The rows as load() wrote them: projected, refused rows left out, as the target holds
    // them; the same digest as reading the source again below, without the second read.
    result.source_rows = hashed->second.digest.rows();
    result.source_hash = hashed->second.digest.hex();
  } else {
    const std::vector<std::string>& columns = projection.target_columns();
    std::vector<const DataColumn*> target_types;
    for (const std::string& column : columns) target_types.push_back(target.find_column(column));
    source.read(Checkpoint{}, options_.batch_rows, [&](std::vector<Row> rows) {
      for (const Row& row : rows) {
        Row projected;
        try {
          projected = projection.apply(row);
        } catch (const ValueError&) {
          continue;  // refused in lenient mode (strict mode would have stopped the run)
        }
        if (!refused.empty()) {
          std::optional<Row> key = target_key(target, columns, projected);
          if (key && refused.count(key_json(*key))) continue;
        }
        for (std::size_t i = 0; i < projected.size(); ++i)
          if (target_types[i]) projected[i] = as_column_holds(target_types[i]->type, projected[i]);
        expected.add(projected);
      }
    });
    result.source_rows = expected.rows();
    result.source_hash = expected.hex();
  }

  // The target side, read back through the engine: the columns the run wrote, each row
  // digested as it is decoded, none kept (Engine::visit_data), a large table in parts at once.
  runtime::Engine::DataRead read;
  read.table = &target;
  read.columns = projection.target_columns();
  read.batch_rows = options_.batch_rows;
  read.any_order = true;
  ContentDigest actual = read_back(c_, options_.open_target, read);
  result.target_rows = actual.rows();
  result.target_hash = actual.hex();

  if (before == 0) {
    result.verified = "rows and content";
    if (result.source_rows != result.target_rows)
      throw MoveError("verify: table " + target.name + " has " +
                      std::to_string(result.target_rows) + " rows after loading, the source " +
                      std::to_string(result.source_rows));
    if (result.source_hash != result.target_hash)
      throw MoveError("verify: table " + target.name +
                      " differs from its source (same row count, content digest " +
                      result.target_hash + " against the source's " + result.source_hash + ")");
    return;
  }
  // The target held rows before the run: only counts can be compared. Every source row is
  // there (new, kept, overwritten or merged), at most one per source row was added.
  result.verified = "rows";
  const std::uint64_t low =
      std::max(before, options_.on_conflict == OnConflict::Fail ? before + result.source_rows
                                                                : result.source_rows);
  const std::uint64_t high = before + result.source_rows;
  if (result.target_rows < low || result.target_rows > high)
    throw MoveError("verify: table " + target.name + " has " + std::to_string(result.target_rows) +
                    " rows after loading; it had " + std::to_string(before) + " and the source " +
                    std::to_string(result.source_rows) + ", so between " + std::to_string(low) +
                    " and " + std::to_string(high) + " were expected");
}

void DataMove::finish() {
  runs_.forget(options_.run_key);
}

std::uint64_t DataMove::undo(const std::vector<std::pair<TableSource*, const DataTable*>>& loaded) {
  const runtime::Engine& engine = runtime::engine_of(c_);
  const runtime::EngineSpellings& spellings = engine.spellings();
  if (c_.in_transaction()) c_.rollback();
  std::uint64_t deleted = 0;
  for (auto it = loaded.rbegin(); it != loaded.rend(); ++it) {
    TableSource& source = *it->first;
    const DataTable& target = *it->second;
    std::optional<Checkpoint> checkpoint = runs_.load(options_.run_key, target.name);
    if (!checkpoint || checkpoint->rows_done == 0 || target.primary_key.empty()) continue;
    if (options_.keyed_after_load.count(target.name)) {
      c_.begin();
      try {
        deleted += count_rows(target.name);
        c_.execute("DELETE FROM " + runtime::double_quoted(target.name));
        c_.commit();
      } catch (...) {
        if (c_.in_transaction()) c_.rollback();
        throw;
      }
      continue;
    }
    const TableMapping* mapping =
        options_.mapping ? options_.mapping->find(source.table().name) : nullptr;
    RowProjection projection(source.table(), mapping);
    const std::vector<std::string>& columns = projection.target_columns();
    const std::set<std::string>& refused = rejects_->keys[target.name];
    std::string sql = "DELETE FROM " + runtime::double_quoted(target.name) + " WHERE ";
    std::vector<const DataColumn*> key_columns;
    for (std::size_t k = 0; k < target.primary_key.size(); ++k) {
      sql += (k ? " AND " : "") + runtime::double_quoted(target.primary_key[k]) + " = " +
             c_.placeholder(k + 1);
      key_columns.push_back(target.find_column(target.primary_key[k]));
    }
    std::uint64_t seen = 0;
    c_.begin();
    try {
      source.read(Checkpoint{}, options_.batch_rows, [&](std::vector<Row> rows) {
        for (const Row& row : rows) {
          if (seen++ >= checkpoint->rows_done) return;
          Row projected;
          try {
            projected = projection.apply(row);
          } catch (const ValueError&) {
            continue;
          }
          std::optional<Row> key = target_key(target, columns, projected);
          if (!key || refused.count(key_json(*key))) continue;
          // Key values as statement parameters: booleans and bytes as the engine reads them.
          runtime::Connection::Params params;
          for (std::size_t k = 0; k < key->size(); ++k) {
            const Value& value = (*key)[k];
            const DataColumn* column = key_columns[k];
            if (value && column && column->type.kind == ir::ColumnType::Kind::Bool) {
              params.push_back(*value == "true" ? spellings.true_literal : spellings.false_literal);
            } else if (value && column && column->type.kind == ir::ColumnType::Kind::Bytes) {
              static const char* digits = "0123456789abcdef";
              std::string hex;
              for (unsigned char ch : *value) hex += {digits[ch >> 4], digits[ch & 15]};
              params.push_back(engine.bytes_value(hex));
            } else {
              params.push_back(value);
            }
          }
          c_.execute(sql, params);
          ++deleted;
        }
      });
      c_.commit();
    } catch (...) {
      if (c_.in_transaction()) c_.rollback();
      throw;
    }
  }
  runs_.forget(options_.run_key);
  return deleted;
}

}  // namespace migpkg::data
