#pragma once
// Connections to the served database kept open between read requests (GET /status, /history,
// /audit, /backups). A new SQLite connection parses the database's whole schema before its
// first statement: about 30 ms for 4,000 tables and indexes on this machine, which was most of
// a read's time while an install grew the schema (bench/serve_bench.sh). A kept connection
// parses again only after the schema changed. PostgreSQL and MySQL save their connection
// set-up the same way.
#include <sys/types.h>

#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runtime/drivers/connection.hpp"

namespace migpkg::serve {

class ReadConnections {
 public:
  // `keep`: how many idle connections are kept at most (the server's threads).
  ReadConnections(std::string database, std::size_t keep);

  using Report = std::function<nlohmann::ordered_json(runtime::Connection*)>;
  // Runs `report` with a connection to the database and returns what it returns. The
  // connection goes back to the pool only when `report` succeeded (or refused the request's
  // options) and left no transaction open. A failure on a kept connection (a server restarted,
  // a connection timed out) is retried once on a new one: reports change nothing. `report` gets
  // nullptr when there is no database to keep a connection to (a SQLite file not there yet): it
  // then opens one itself, as the CLI does.
  nlohmann::ordered_json read(const Report& report);

 private:
  struct Kept {
    std::unique_ptr<runtime::Connection> connection;
    dev_t device = 0;  // SQLite: the file the connection has open, to notice it was replaced
    ino_t inode = 0;
  };
  // A kept connection still to the same file, or a new one; false: no file to open.
  bool take(Kept& out, bool& reused);
  void give_back(Kept kept);

  const std::string database_;
  const runtime::DatabaseUrl url_;
  const std::size_t keep_;
  std::mutex mutex_;
  std::vector<Kept> idle_;
};

}  // namespace migpkg::serve
