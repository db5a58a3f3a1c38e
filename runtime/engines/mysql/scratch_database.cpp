// Scratch databases on a MySQL / MariaDB server (engine.hpp): CREATE DATABASE under a unique name,
// and on destruction the sessions still using it are ended and it is dropped.
#include <algorithm>

#include "runtime/engines/mysql/connection.hpp"
#include "runtime/engines/mysql/mysql_engine.hpp"
#include "runtime/engines/scratch_name.hpp"

namespace migpkg::runtime::mysql {
namespace {

class MysqlScratchDatabase : public ScratchDatabase {
 public:
  MysqlScratchDatabase(const std::string& server_url, const std::string& prefix)
      : server_url_(server_url) {
    std::string suffix = "_" + unique_scratch_suffix();
    name_ = prefix.substr(0, 64 - std::min<std::size_t>(64, suffix.size())) + suffix;
    connect()->execute("CREATE DATABASE " + quote_name(name_) +
                       " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    url_ = mysql_url_with_database(server_url_, name_);
  }

  ~MysqlScratchDatabase() override {
    try {
      auto db = connect();
      // DROP DATABASE waits for the metadata locks of other sessions' open transactions; the
      // sessions still using the database are ended first.
      for (const Row& row : db->query("SELECT ID FROM information_schema.PROCESSLIST WHERE "
                                      "DB = $1 AND ID <> CONNECTION_ID()",
                                      {name_})
                                .rows) {
        try {
          db->execute("KILL CONNECTION " + row[0].value_or("0"));
        } catch (const DatabaseError&) {
          // Already gone.
        }
      }
      db->execute("DROP DATABASE IF EXISTS " + quote_name(name_));
    } catch (const std::exception&) {
      // A destructor cannot report; the uniquely named database is merely left behind.
    }
  }

  const std::string& url() const override { return url_; }
  const std::string& name() const override { return name_; }

 private:
  std::unique_ptr<MysqlConnection> connect() const {
    MysqlUrl server = parse_mysql_url(server_url_);
    server.database.clear();
    return std::make_unique<MysqlConnection>(server, redact_password(server_url_), 10000);
  }

  std::string server_url_, name_, url_;
};

}  // namespace

std::unique_ptr<ScratchDatabase> MysqlEngine::scratch_database(const DatabaseUrl& server,
                                                               const std::string& prefix) const {
  return std::make_unique<MysqlScratchDatabase>(server.conninfo, prefix);
}

}  // namespace migpkg::runtime::mysql
