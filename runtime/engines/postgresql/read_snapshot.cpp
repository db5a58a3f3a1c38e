// Engine::begin_read_snapshot on PostgreSQL: its default READ COMMITTED takes a snapshot per
// statement, so two tables of one export (one COPY each) could be read at different moments.
// REPEATABLE READ takes one snapshot at the transaction's first query, for all of them.
//
// Engine::read_parts and share_read_snapshot: how pg_dump --jobs reads one database on several
// connections, for one table. A COPY TO is bound by its one server process (5M bench rows: the
// server is busy 5 s, libpq's client keeps up), so verify reads a large table back in ranges of
// its pages, each on a connection of its own, every connection in the snapshot the first one
// exported (pg_export_snapshot): together they see exactly the rows one read would.
#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "runtime/engines/postgresql/postgresql_engine.hpp"
#include "runtime/engines/sql_names.hpp"

namespace migpkg::runtime {
namespace {

// Below this many pages a part (8 MB) a second connection costs about what it saves.
constexpr std::int64_t kPagesPerPart = 1024;

std::string tid(std::int64_t page) {
  return "'(" + std::to_string(page) + ",0)'::pg_catalog.tid";
}

}  // namespace

void PostgresqlEngine::begin_read_snapshot(Connection& connection) const {
  connection.begin();
  // Must be the transaction's first statement; READ ONLY: the reader cannot write by mistake.
  connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
}

std::vector<std::string> PostgresqlEngine::read_parts(Connection& connection,
                                                      const data::DataTable& table,
                                                      std::size_t at_most) const {
  // Pages of an ordinary table only (a partitioned table's own size is 0). A ctid range is read
  // by a TID Range Scan from PostgreSQL 14 on; before, each part would scan the whole table.
  // The size is taken inside the snapshot: a page added since holds no row the snapshot sees,
  // and the last part has no end anyway.
  ResultSet size = connection.query(
      "SELECT CASE WHEN current_setting('server_version_num')::int >= 140000 "
      "THEN pg_relation_size(c.oid) / current_setting('block_size')::int8 ELSE 0 END "
      "FROM pg_catalog.pg_class c WHERE c.oid = $1::regclass AND c.relkind = 'r'",
      {double_quoted(table.name)});
  const std::int64_t pages =
      size.rows.empty() || !size.rows[0][0] ? 0 : std::stoll(*size.rows[0][0]);
  const std::int64_t parts =
      std::min<std::int64_t>(static_cast<std::int64_t>(at_most), pages / kPagesPerPart);
  if (parts < 2) return {""};
  std::vector<std::string> conditions;
  for (std::int64_t k = 0; k < parts; ++k) {
    const std::int64_t first = pages * k / parts, end = pages * (k + 1) / parts;
    std::string condition;
    if (k > 0) condition = "ctid >= " + tid(first);
    if (k + 1 < parts) condition += (k > 0 ? " AND " : "") + std::string("ctid < ") + tid(end);
    conditions.push_back(condition);
  }
  return conditions;
}

void PostgresqlEngine::share_read_snapshot(Connection& connection, Connection& other) const {
  ResultSet exported = connection.query("SELECT pg_catalog.pg_export_snapshot()");
  const std::string id = exported.rows.empty() ? "" : exported.rows[0][0].value_or(std::string());
  // The server's own identifier (hex digits and '-'): checked, as SET takes no parameter.
  if (id.empty() || !std::all_of(id.begin(), id.end(),
                                 [](unsigned char c) { return std::isxdigit(c) || c == '-'; }))
    throw std::runtime_error("the server exported a snapshot named '" + id + "'");
  begin_read_snapshot(other);
  other.execute("SET TRANSACTION SNAPSHOT '" + id + "'");
}

}  // namespace migpkg::runtime
