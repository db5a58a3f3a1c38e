// Engine::begin_read_snapshot on PostgreSQL: its default READ COMMITTED takes a snapshot per
// statement, so two tables of one export (one COPY each) could be read at different moments.
// REPEATABLE READ takes one snapshot at the transaction's first query, for all of them.
#include "runtime/engines/postgresql/postgresql_engine.hpp"

namespace migpkg::runtime {

void PostgresqlEngine::begin_read_snapshot(Connection& connection) const {
  connection.begin();
  // Must be the transaction's first statement; READ ONLY: the reader cannot write by mistake.
  connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
}

}  // namespace migpkg::runtime
