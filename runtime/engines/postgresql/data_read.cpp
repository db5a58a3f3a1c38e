// Engine::read_data on PostgreSQL: one COPY (SELECT ...) TO STDOUT in binary format (one
// statement, one snapshot; copy_binary_read.hpp), streamed through libpq and handed out in
// batches, so memory holds one batch whatever the table's size. The session prints the values
// selected as text in fixed forms while it runs (DateStyle ISO, TimeZone UTC, bytea_output hex,
// extra_float_digits 1), set for the transaction only and put back after.
#include <libpq-fe.h>

#include <pqxx/pqxx>

#include <memory>
#include <stdexcept>

#include "runtime/data/portable_values.hpp"
#include "runtime/engines/postgresql/copy_binary_read.hpp"
#include "runtime/engines/postgresql/data_values.hpp"
#include "runtime/engines/postgresql/postgresql_engine.hpp"
#include "runtime/engines/postgresql/postgresql_native.hpp"
#include "runtime/engines/sql_names.hpp"

namespace migpkg::runtime {
namespace {

const char* const kSettings[] = {"DateStyle", "TimeZone", "bytea_output", "extra_float_digits",
                                 "IntervalStyle"};
const char* const kFixed[] = {"ISO, YMD", "UTC", "hex", "1", "postgres"};

// Column names, each qualified by `table` when given: ORDER BY must name the table's columns,
// not the select list's (some are cast to text there under the same names).
std::string list(const std::vector<std::string>& names, const std::string& table = "") {
  std::string out;
  for (const auto& name : names)
    out += (out.empty() ? "" : ", ") + (table.empty() ? "" : table + ".") + double_quoted(name);
  return out;
}

void set_all(Connection& connection, const std::vector<std::string>& values) {
  std::string sql = "SELECT ";
  Connection::Params params;
  for (std::size_t i = 0; i < values.size(); ++i) {
    sql += (i ? ", " : "") + std::string("set_config('") + kSettings[i] + "', $" +
           std::to_string(i + 1) + ", true)";
    params.push_back(values[i]);
  }
  connection.execute(sql, params);
}

}  // namespace

namespace {

using Fields = std::vector<std::optional<std::string_view>>;

// A read as a statement: its columns, how each is read, where the key is among them.
struct CopyPlan {
  const data::DataTable* table = nullptr;
  std::vector<const data::DataColumn*> columns;
  // Columns with a binary form are read in it; the others as their output text
  // (copy_binary_read.hpp).
  std::vector<std::optional<postgresql_data::BinaryForm>> forms;
  std::vector<std::size_t> key_at;  // where each key column is among the columns read
  std::string copy;                 // the COPY (SELECT ...) TO STDOUT statement
};

CopyPlan plan_copy(Connection& connection, const Engine::DataRead& read) {
  const data::DataTable& table = *read.table;
  CopyPlan plan;
  plan.table = &table;
  std::vector<std::string> names = read.columns;
  if (names.empty())
    for (const auto& column : table.columns) names.push_back(column.name);
  plan.columns = data::portable::columns_of(table, names);
  pqxx::connection_base& native = postgresql_handle(connection);
  plan.forms = postgresql_data::catalog_binary_forms(connection, table.name, plan.columns);
  std::string selected;
  for (std::size_t i = 0; i < names.size(); ++i)
    selected +=
        (i ? ", " : "") + double_quoted(names[i]) + (plan.forms[i] ? "" : "::pg_catalog.text");
  const std::string from = double_quoted(table.name);
  std::string select = "SELECT " + selected + " FROM " + from;
  std::string condition = read.where.empty() ? "" : "(" + read.where + ")";
  if (read.after_key) {
    if (table.primary_key.empty() || read.after_key->size() != table.primary_key.size())
      throw std::invalid_argument("table " + table.name +
                                  ": resuming after a key needs the table's whole primary key");
    std::string literals;
    for (std::size_t i = 0; i < table.primary_key.size(); ++i) {
      const data::DataColumn* column = table.find_column(table.primary_key[i]);
      if (!column)
        throw std::invalid_argument("table " + table.name + " has no column " +
                                    table.primary_key[i]);
      data::Value value = (*read.after_key)[i];
      std::string literal = "NULL";
      if (value) {
        data::portable::fit(column->type, *value);
        literal = native.quote(postgresql_data::input_text(column->type, *value));
      }
      literals += (i ? ", " : "") + literal;
    }
    condition += (condition.empty() ? "" : " AND ") + std::string("(") + list(table.primary_key) +
                 ") > (" + literals + ")";
  }
  if (!condition.empty()) select += " WHERE " + condition;
  // Without a key the rows' text orders them (json has no "<"), as the backups do.
  if (!read.any_order || read.after_key)
    select += table.primary_key.empty()
                  ? " ORDER BY ROW(" + list(names, from) + ")::pg_catalog.text COLLATE \"C\""
                  : " ORDER BY " + list(table.primary_key, from);
  plan.copy = "COPY (" + select + ") TO STDOUT (FORMAT binary)";
  for (const auto& key : table.primary_key)
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == key) plan.key_at.push_back(i);
  return plan;
}

// A field as a message shows it: the server's text of it.
std::string field_text(const CopyPlan& plan, const Fields& fields, std::size_t i) {
  if (!fields[i]) return "";
  if (!plan.forms[i]) return std::string(*fields[i]);
  try {
    return postgresql_data::output_text(*fields[i], *plan.forms[i], plan.columns[i]->type);
  } catch (const std::invalid_argument&) {
    return std::to_string(fields[i]->size()) + " bytes";
  }
}

// The portable value of field `i` (not NULL) of row `number` (from 1); a value without one
// throws ValueError naming the row by its key where the key was read.
std::string decode_field(const CopyPlan& plan, const Fields& fields, std::size_t i,
                         std::uint64_t number) {
  try {
    return plan.forms[i] ? postgresql_data::decode_binary_field(*fields[i], *plan.forms[i],
                                                                plan.columns[i]->type)
                         : postgresql_data::read_value(*fields[i], plan.columns[i]->type);
  } catch (const std::invalid_argument& error) {
    const data::DataTable& table = *plan.table;
    std::string key = "#" + std::to_string(number);
    if (!plan.key_at.empty() && plan.key_at.size() == table.primary_key.size()) {
      data::Row raw;
      for (std::size_t at : plan.key_at) raw.push_back(field_text(plan, fields, at));
      key = data::portable::row_key(table, table.primary_key, raw, number);
    }
    throw data::ValueError(table.name, key, plan.columns[i]->name,
                           data::portable::shortened(field_text(plan, fields, i)), error.what());
  }
}

// Runs the plan's COPY with the session's fixed settings, in the caller's transaction or one of
// its own, and hands `take` each row's fields (pointing into libpq's piece: valid for the call)
// and number; `done` runs once the last row was taken, before the settings are put back.
void run_copy(Connection& connection, const CopyPlan& plan,
              const std::function<void(const Fields&, std::uint64_t)>& take,
              const std::function<void()>& done) {
  const data::DataTable& table = *plan.table;
  const bool own_transaction = !connection.in_transaction();
  if (own_transaction) connection.begin();
  try {
    std::vector<std::string> before;
    for (const Row& row : connection
                              .query("SELECT current_setting('DateStyle'), "
                                     "current_setting('TimeZone'), "
                                     "current_setting('bytea_output'), "
                                     "current_setting('extra_float_digits'), "
                                     "current_setting('IntervalStyle')")
                              .rows)
      for (const auto& value : row) before.push_back(value.value_or(""));
    set_all(connection, std::vector<std::string>(std::begin(kFixed), std::end(kFixed)));

    std::uint64_t number = 0;
    postgresql_data::BinaryCopyRows stream(plan.columns.size());
    Fields fields;
    PGconn* pq = postgresql_libpq(connection);
    PGresult* started = PQexec(pq, plan.copy.c_str());
    const bool copying = PQresultStatus(started) == PGRES_COPY_OUT;
    std::string error = copying ? "" : libpq_error(pq, started);
    PQclear(started);
    if (!copying) throw std::runtime_error(error);
    try {
      for (;;) {
        char* piece = nullptr;
        const int size = PQgetCopyData(pq, &piece, 0);
        if (size == -1) break;
        if (size < 0) throw std::runtime_error(libpq_error(pq, nullptr));
        // Freed once its rows are taken: they are read where they lie in it.
        std::unique_ptr<char, void (*)(void*)> owned(piece, PQfreemem);
        stream.feed(piece, static_cast<std::size_t>(size));
        while (stream.next(fields)) take(fields, ++number);
      }
      while (PGresult* result = PQgetResult(pq)) {
        if (PQresultStatus(result) != PGRES_COMMAND_OK && error.empty())
          error = libpq_error(pq, result);
        PQclear(result);
      }
      if (!error.empty()) throw std::runtime_error(error);
      if (!stream.complete())
        throw std::runtime_error("table " + table.name + ": the server's COPY ended inside a row");
    } catch (...) {
      // The server may still be sending: stop it, and read what is left so that the connection
      // is usable (its transaction is then aborted, as after any failed statement).
      if (PGcancel* cancel = PQgetCancel(pq)) {
        char message[256];
        PQcancel(cancel, message, sizeof message);
        PQfreeCancel(cancel);
      }
      char* piece = nullptr;
      while (PQgetCopyData(pq, &piece, 0) > 0) PQfreemem(piece);
      while (PGresult* result = PQgetResult(pq)) PQclear(result);
      throw;
    }
    done();
    set_all(connection, before);
    if (own_transaction) connection.commit();
  } catch (...) {
    if (own_transaction) {
      try {
        connection.rollback();
      } catch (...) {
      }
    } else {
      // Let the Connection learn that its transaction failed (a cancelled COPY aborts it), so
      // that the caller's COMMIT reports it instead of the server's silent ROLLBACK.
      try {
        connection.execute("SELECT 1");
      } catch (...) {
      }
    }
    throw;
  }
}

}  // namespace

void PostgresqlEngine::read_data(Connection& connection, const DataRead& read,
                                 const std::function<void(std::vector<data::Row>)>& sink) const {
  const CopyPlan plan = plan_copy(connection, read);
  const std::size_t batch_rows = read.batch_rows ? read.batch_rows : 10000;
  std::vector<data::Row> batch;
  batch.reserve(batch_rows);
  run_copy(
      connection, plan,
      [&](const Fields& fields, std::uint64_t number) {
        data::Row row;
        row.reserve(fields.size());
        for (std::size_t i = 0; i < fields.size(); ++i)
          if (!fields[i])
            row.emplace_back();
          else
            row.emplace_back(decode_field(plan, fields, i, number));
        batch.push_back(std::move(row));
        if (batch.size() >= batch_rows) {
          sink(std::move(batch));
          batch = {};
          batch.reserve(batch_rows);
        }
      },
      [&] {
        if (!batch.empty()) sink(std::move(batch));
      });
}

// The values are decoded into one buffer a column, reused row after row, and a bytea's or text's
// bytes are the portable value as they lie in libpq's piece (decode_binary_view): no row or
// batch is built (read_data's are freed on another thread). Verify's read-back of 100k bench
// rows: 4% fewer client instructions; of 1M, the COPY's median 0.97 s -> 0.89 s.
void PostgresqlEngine::visit_data(Connection& connection, const DataRead& read,
                                  const std::function<void(const data::ValueViews&)>& visit) const {
  const CopyPlan plan = plan_copy(connection, read);
  std::vector<std::string> decoded(plan.columns.size());
  data::ValueViews values(plan.columns.size());
  run_copy(
      connection, plan,
      [&](const Fields& fields, std::uint64_t number) {
        for (std::size_t i = 0; i < fields.size(); ++i) {
          if (!fields[i]) {
            values[i].reset();
          } else if (plan.forms[i]) {
            try {
              values[i] = postgresql_data::decode_binary_view(*fields[i], *plan.forms[i],
                                                              plan.columns[i]->type, decoded[i]);
            } catch (const std::invalid_argument&) {
              decode_field(plan, fields, i, number);  // throws the same, naming the row
              throw;
            }
          } else {
            decoded[i] = decode_field(plan, fields, i, number);
            values[i] = decoded[i];
          }
        }
        visit(values);
      },
      [] {});
}

}  // namespace migpkg::runtime
