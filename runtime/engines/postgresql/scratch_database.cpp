// PostgreSQL's scratch databases (engine.hpp): CREATE DATABASE on the server a URL names, DROP
// DATABASE ... WITH (FORCE) at the end, for `check` and the tests.
#include <algorithm>

#include "runtime/engines/postgresql/postgresql_engine.hpp"
#include "runtime/engines/scratch_name.hpp"
#include "runtime/engines/sql_names.hpp"

namespace migpkg::runtime {
namespace {

class PostgresqlScratchDatabase : public ScratchDatabase {
 public:
  PostgresqlScratchDatabase(const std::string& server_url, const std::string& prefix)
      : server_url_(server_url), name_(prefix + "_" + unique_scratch_suffix()) {
    url_ = with_database(server_url_, name_);
    open_postgresql_connection(server_url_)->execute("CREATE DATABASE " + double_quoted(name_));
  }

  // An exact copy named `name` of the database `original_name` (CREATE DATABASE ... TEMPLATE),
  // reached as `original_url` names the original.
  PostgresqlScratchDatabase(const std::string& server_url, const std::string& name,
                            const std::string& original_url, const std::string& original_name)
      : server_url_(server_url), name_(name) {
    open_postgresql_connection(server_url_)
        ->execute("CREATE DATABASE " + double_quoted(name_) + " TEMPLATE " +
                  double_quoted(original_name));
    url_ = with_database(original_url, name_);
  }

  ~PostgresqlScratchDatabase() override {
    try {
      open_postgresql_connection(server_url_)
          ->execute("DROP DATABASE IF EXISTS " + double_quoted(name_) + " WITH (FORCE)");
    } catch (const std::exception&) {
      // A destructor cannot report; the uniquely named database is merely left behind.
    }
  }

  PostgresqlScratchDatabase(const PostgresqlScratchDatabase&) = delete;
  PostgresqlScratchDatabase& operator=(const PostgresqlScratchDatabase&) = delete;

  const std::string& url() const override { return url_; }
  const std::string& name() const override { return name_; }

 private:
  std::string server_url_, name_, url_;
};

}  // namespace

std::unique_ptr<ScratchDatabase> PostgresqlEngine::scratch_database(
    const DatabaseUrl& server, const std::string& prefix) const {
  return std::make_unique<PostgresqlScratchDatabase>(server.conninfo, prefix);
}

std::unique_ptr<ScratchDatabase> PostgresqlEngine::exact_copy(const DatabaseUrl& original,
                                                              std::string& method) const {
  const std::string& url = original.conninfo;
  std::string name;
  {
    auto connection = open_postgresql_connection(url);
    name = connection->query("SELECT current_database()").rows.at(0).at(0).value_or("");
  }
  // An exact copy, when no other session uses the original: CREATE DATABASE ... TEMPLATE
  // refuses otherwise (after waiting five seconds), so the sessions are counted first.
  for (const char* maintenance : {"postgres", "template1"}) {
    std::string server = with_database(url, maintenance);
    std::unique_ptr<Connection> admin;
    try {
      admin = open_postgresql_connection(server);
    } catch (const std::exception&) {
      continue;  // not allowed to connect there: try the next one
    }
    try {
      auto sessions = admin->query(
          "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
          {name});
      if (sessions.rows.at(0).at(0).value_or("1") != "0") break;
      std::unique_ptr<ScratchDatabase> copy;
      {
        PostgresqlScratchDatabase probe(server, "migpkg_check_name");  // reserves a unique name
        copy =
            std::make_unique<PostgresqlScratchDatabase>(server, probe.name() + "_copy", url, name);
      }
      method = "template";
      return copy;
    } catch (const std::exception&) {
      // No right to copy, or a session came in between: copy the tables instead.
    }
    break;
  }
  return nullptr;
}

}  // namespace migpkg::runtime
