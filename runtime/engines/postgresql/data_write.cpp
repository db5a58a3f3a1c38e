// Engine::write_data and reset_identity on PostgreSQL: rows go in with COPY FROM STDIN, in binary
// format when every column's type has a binary form (copy_binary.hpp), else in text format.
// OnConflict::Fail copies straight into the table; skip, overwrite and merge copy into a
// temporary table and move the rows with one INSERT ... SELECT ... ON CONFLICT. All inside a
// savepoint of the caller's transaction: a refused batch leaves nothing, and is then tried row
// by row to name the row refused.
#include <libpq-fe.h>
#include <pqxx/pqxx>
#include <pqxx/tablewriter>

#include <stdexcept>

#include "runtime/data/fit_rows.hpp"
#include "runtime/data/portable_values.hpp"
#include "runtime/engines/postgresql/copy_binary.hpp"
#include "runtime/engines/postgresql/data_values.hpp"
#include "runtime/engines/postgresql/postgresql_engine.hpp"
#include "runtime/engines/postgresql/postgresql_native.hpp"
#include "runtime/engines/sql_names.hpp"

namespace migpkg::runtime {
namespace {

const char* const kLoadTable = "pg_temp.migpkg_data_load";

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + double_quoted(name);
  return out;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  for (const auto& n : names)
    if (n == name) return true;
  return false;
}

// The server's message without libpq's "ERROR:  " and trailing newline.
std::string server_message(const std::exception& error) {
  std::string message = error.what();
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (message.rfind("ERROR:  ", 0) == 0) message.erase(0, 8);
  return message;
}

// ON CONFLICT for the mode, as on SQLite: `excluded` is the row as it would have been inserted,
// so Overwrite gives a column not given its default, and Merge leaves it alone.
std::string conflict_clause(const data::DataTable& table, const std::vector<std::string>& columns,
                            data::OnConflict mode) {
  if (mode == data::OnConflict::Fail) return "";
  if (table.primary_key.empty())
    throw std::invalid_argument("table " + table.name +
                                " has no primary key: only --on-conflict fail can load it");
  std::string head = " ON CONFLICT (" + list(table.primary_key) + ") DO ";
  std::string set;
  for (const auto& column : table.columns) {
    if (contains(table.primary_key, column.name)) continue;
    if (mode == data::OnConflict::Merge && !contains(columns, column.name)) continue;
    set += (set.empty() ? "" : ", ") + double_quoted(column.name) + " = EXCLUDED." +
           double_quoted(column.name);
  }
  if (mode == data::OnConflict::Skip || set.empty()) return head + "NOTHING";
  return head + "UPDATE SET " + set;
}

// A bytea value in COPY's text format: PostgreSQL's hex input "\\x..." with its backslash
// escaped for COPY, the digits appended straight into the line.
void append_copy_bytes(std::string& line, const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  line += "\\\\x";
  for (unsigned char byte : bytes) {
    line += digits[byte >> 4];
    line += digits[byte & 15];
  }
}

// Rows go to the server in chunks of many lines: one libpq call (and one copy of the chunk in
// libpqxx) per chunk instead of per row.
constexpr std::size_t kCopyChunkBytes = 1 << 18;

void copy_in(pqxx::connection_base& native, const std::string& target,
             const std::vector<const data::DataColumn*>& columns,
             const std::vector<const data::Row*>& rows) {
  pqxx::nontransaction work(native);  // inside the Connection's open transaction
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  // libpqxx 6.4's stream_to keeps raw lines private; tablewriter takes COPY text as it is (and
  // ends what it is given with a line end).
  pqxx::tablewriter writer(work, target);
#pragma GCC diagnostic pop
  std::string chunk;
  chunk.reserve(kCopyChunkBytes + (kCopyChunkBytes >> 2));
  for (const data::Row* fitted : rows) {
    const data::Row& row = *fitted;
    if (!chunk.empty()) chunk += '\n';
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) chunk += '\t';
      if (row[i] && columns[i]->type.kind == ir::ColumnType::Kind::Bytes)
        append_copy_bytes(chunk, *row[i]);
      else
        postgresql_data::append_copy_field(chunk, row[i]);
    }
    if (chunk.size() >= kCopyChunkBytes) {
      writer.write_raw_line(chunk);
      chunk.clear();
    }
  }
  if (!chunk.empty()) writer.write_raw_line(chunk);
  writer.complete();
}

// Ends a COPY FROM STDIN (with `abort` as the reason to give up, when not null) and collects its
// outcome: the server's error, or "" when it took the rows.
std::string end_copy(PGconn* native, const char* abort) {
  std::string error;
  if (PQputCopyEnd(native, abort) != 1) error = libpq_error(native, nullptr);
  while (PGresult* result = PQgetResult(native)) {
    if (PQresultStatus(result) != PGRES_COMMAND_OK && error.empty())
      error = libpq_error(native, result);
    PQclear(result);
  }
  return error;
}

// The rows in binary format through libpq (libpqxx 6.4 only writes text lines). Returns false,
// with the COPY given up (the caller rolls back to its savepoint), when a value has no binary
// encoding as it is (copy_binary.hpp refuses it): the batch then goes in text format, where the
// server's own message names what is wrong.
bool copy_in_binary(Connection& connection, const std::string& target,
                    const std::vector<postgresql_data::BinaryForm>& forms,
                    const std::vector<const data::Row*>& rows) {
  PGconn* native = postgresql_libpq(connection);
  PGresult* started = PQexec(native, ("COPY " + target + " FROM STDIN (FORMAT binary)").c_str());
  const bool copying = PQresultStatus(started) == PGRES_COPY_IN;
  std::string error = copying ? "" : libpq_error(native, started);
  PQclear(started);
  if (!copying) throw std::runtime_error(error);
  std::string chunk;
  chunk.reserve(kCopyChunkBytes + (kCopyChunkBytes >> 2));
  postgresql_data::append_binary_header(chunk);
  auto send = [&] {
    if (PQputCopyData(native, chunk.data(), static_cast<int>(chunk.size())) != 1)
      throw std::runtime_error(libpq_error(native, nullptr));
    chunk.clear();
  };
  try {
    for (const data::Row* row : rows) {
      try {
        postgresql_data::append_binary_row(chunk, forms, *row);
      } catch (const std::invalid_argument&) {
        end_copy(native, "a value without a binary encoding: sent again in text format");
        return false;
      }
      if (chunk.size() >= kCopyChunkBytes) send();
    }
    postgresql_data::append_binary_trailer(chunk);
    send();
  } catch (const std::runtime_error&) {
    error = end_copy(native, "migpkg could not send the rows");
    throw std::runtime_error(error.empty() ? libpq_error(native, nullptr) : error);
  }
  error = end_copy(native, nullptr);
  if (!error.empty()) throw std::runtime_error(error);
  return true;
}

}  // namespace

std::size_t PostgresqlEngine::write_data(Connection& connection, const data::DataTable& table,
                                         const std::vector<std::string>& names,
                                         const std::vector<data::Row>& rows,
                                         data::OnConflict on_conflict) const {
  // Fitted without copying the rows that fit as they are (most: read or fitted into their
  // portable form already).
  const data::portable::FittedRows fitted = data::portable::fit_rows(
      table, names, rows, [](const data::DataColumn& column, const std::string& value) {
        postgresql_data::fit_postgresql(column.type, value);
      });
  const std::vector<const data::Row*>& ready = fitted.rows();
  if (ready.empty()) return 0;
  std::vector<const data::DataColumn*> columns = data::portable::columns_of(table, names);
  const std::string target = double_quoted(table.name);
  const std::string tail = conflict_clause(table, names, on_conflict);
  bool counter_given = false;
  for (const auto* column : columns) counter_given = counter_given || column->generated;
  // An identity column GENERATED ALWAYS takes a given value only when told to.
  const std::string head = "INSERT INTO " + target + " (" + list(names) + ")" +
                           (counter_given ? " OVERRIDING SYSTEM VALUE" : "");
  pqxx::connection_base& native = postgresql_handle(connection);

  std::optional<std::vector<postgresql_data::BinaryForm>> forms;  // when every column has one
  forms.emplace();
  for (const auto& form : postgresql_data::catalog_binary_forms(connection, table.name, columns))
    if (form && forms)
      forms->push_back(*form);
    else
      forms.reset();
  connection.execute("SAVEPOINT migpkg_write_data");
  std::size_t written = 0;
  std::string failed_sql;
  // Binary format when every column has a binary form; a batch with a value the encoder refuses
  // starts again from the savepoint in text format.
  auto copy = [&](const std::string& into) {
    failed_sql = "COPY " + into + " FROM STDIN";
    if (forms && copy_in_binary(connection, into, *forms, ready)) return true;
    if (forms) {
      connection.execute("ROLLBACK TO SAVEPOINT migpkg_write_data");
      forms.reset();
      return false;
    }
    copy_in(native, into, columns, ready);
    return true;
  };
  try {
    if (on_conflict == data::OnConflict::Fail) {
      const std::string into = target + " (" + list(names) + ")";
      if (!copy(into)) copy(into);
      written = ready.size();
    } else {
      auto load = [&] {
        connection.execute(std::string("CREATE TEMPORARY TABLE ") + kLoadTable + " AS SELECT " +
                           list(names) + " FROM " + target + " WITH NO DATA");
        return copy(kLoadTable);
      };
      if (!load()) load();
      failed_sql = head + " SELECT " + list(names) + " FROM " + kLoadTable + tail;
      ResultSet count = connection.query("WITH written AS (" + failed_sql +
                                         " RETURNING 1) SELECT count(*) "
                                         "FROM written");
      written = std::stoull(count.rows.at(0).at(0).value_or("0"));
      connection.execute(std::string("DROP TABLE ") + kLoadTable);
    }
  } catch (const std::exception& error) {
    std::string message = server_message(error);
    if (const auto* database = dynamic_cast<const DatabaseError*>(&error))
      failed_sql = database->sql();
    connection.execute("ROLLBACK TO SAVEPOINT migpkg_write_data");
    // Which row: the batch again, one INSERT a row, until one is refused.
    std::string key = "of rows 1 to " + std::to_string(ready.size());
    std::string single = head + " VALUES (";
    for (std::size_t i = 1; i <= names.size(); ++i)
      single += (i > 1 ? ", $" : "$") + std::to_string(i);
    single += ")" + tail;
    for (std::size_t r = 0; r < ready.size(); ++r) {
      Connection::Params params;
      for (std::size_t i = 0; i < columns.size(); ++i)
        params.push_back((*ready[r])[i] ? data::Value(postgresql_data::input_text(columns[i]->type,
                                                                                  *(*ready[r])[i]))
                                        : std::nullopt);
      try {
        connection.execute(single, params);
      } catch (const DatabaseError& row_error) {
        key = data::portable::row_key(table, names, *ready[r], r + 1);
        message = row_error.what();
        failed_sql = row_error.sql();
        break;
      }
    }
    connection.execute("ROLLBACK TO SAVEPOINT migpkg_write_data");
    connection.execute("RELEASE SAVEPOINT migpkg_write_data");
    throw DatabaseError("table " + table.name + ", row " + key + ": " + message, failed_sql);
  }
  connection.execute("RELEASE SAVEPOINT migpkg_write_data");
  return written;
}

// Serial and identity columns draw from a sequence: setval moves it to the highest key, so that
// nextval gives the key after it. A sequence already past it is left alone.
void PostgresqlEngine::reset_identity(Connection& connection, const data::DataTable& table) const {
  for (const auto& column : table.columns) {
    if (!column.generated) continue;
    ResultSet sequence = connection.query("SELECT pg_get_serial_sequence($1, $2)",
                                          {double_quoted(table.name), column.name});
    if (sequence.rows.empty() || !sequence.rows[0][0]) continue;
    const std::string& name = *sequence.rows[0][0];
    connection.query("SELECT setval($1::regclass, m) FROM (SELECT max(" +
                         double_quoted(column.name) + ") AS m FROM " + double_quoted(table.name) +
                         ") highest WHERE m IS NOT NULL AND m > (SELECT CASE WHEN is_called THEN "
                         "last_value ELSE last_value - 1 END FROM " +
                         name + ")",
                     {name});
  }
}

}  // namespace migpkg::runtime
