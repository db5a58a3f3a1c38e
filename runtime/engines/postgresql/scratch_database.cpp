// PostgreSQL's scratch databases (engine.hpp): CREATE DATABASE on the server a URL names, DROP
// DATABASE ... WITH (FORCE) at the end, for `check` and the tests.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <random>

#include "runtime/engines/postgresql/postgresql_engine.hpp"
#include "runtime/engines/sql_names.hpp"

namespace migpkg::runtime {
namespace {

// Unique across processes (pid), runs (time), calls (counter) and, for good measure, chance.
std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  std::random_device entropy;
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::to_string(getpid()) + "_" +
         std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count()) + "_" +
         std::to_string(++counter) + "_" + std::to_string(entropy() % 100000);
}

class PostgresqlScratchDatabase : public ScratchDatabase {
 public:
  PostgresqlScratchDatabase(const std::string& server_url, const std::string& prefix)
      : server_url_(server_url), name_(prefix + "_" + unique_suffix()) {
    url_ = with_database(server_url_, name_);
    open_postgresql_connection(server_url_)->execute("CREATE DATABASE " + double_quoted(name_));
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

}  // namespace migpkg::runtime
