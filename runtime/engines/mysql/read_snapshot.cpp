// Engine::begin_read_snapshot on MySQL / MariaDB: REPEATABLE READ is InnoDB's default, but a
// server or session may be set to READ COMMITTED (a snapshot per statement), and a plain
// START TRANSACTION takes its snapshot only at the first read. Both are made explicit: the
// isolation level for this transaction, and the snapshot taken when it starts.
#include "runtime/engines/mysql/mysql_engine.hpp"

namespace migpkg::runtime::mysql {

void MysqlEngine::begin_read_snapshot(Connection& connection) const {
  // Applies to the next transaction only; the session's own level is left as it was.
  connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  // Sent itself rather than through begin() (whose START TRANSACTION has no options); the
  // connection sees the open transaction in the server's status, so rollback() ends it.
  connection.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
}

}  // namespace migpkg::runtime::mysql
