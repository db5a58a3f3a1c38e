#pragma once
// MySQL / MariaDB database URLs:
//   mysql://[user[:password]@][host][:port][/database][?param=value&...]
//   mariadb://...  (the same)
// User, password and database are percent-decoded. Parameters: socket=PATH (a Unix socket
// instead of TCP), connect_timeout=SECONDS, ssl_mode=disabled|required|verify_ca|verify_identity,
// ssl_ca=PATH. Anything else is refused, so a misspelt option never silently does nothing.
#include "runtime/engines/engine.hpp"

#include <optional>
#include <string>

namespace migpkg::runtime::mysql {

struct MysqlUrl {
  std::string user;
  std::optional<std::string> password;
  std::string host = "localhost";
  unsigned port = 3306;
  std::string database;  // "" names none: a server-level connection (scratch databases)
  std::string socket;
  unsigned connect_timeout = 10;
  std::string ssl_mode;  // "" leaves the client library's default
  std::string ssl_ca;
};

// Whether `url` starts with mysql:// or mariadb://.
bool is_mysql_url(const std::string& url);

// Throws std::invalid_argument (with the password redacted) when `url` is malformed.
MysqlUrl parse_mysql_url(const std::string& url);

// The runtime's DatabaseUrl for a mysql:// or mariadb:// URL: engine "mysql", conninfo = the URL
// (parsed again by the engine when it connects). Throws std::invalid_argument like
// parse_mysql_url. Until the engine registry parses URLs by scheme, DatabaseUrl::parse refuses
// these URLs, and the tests build theirs here.
DatabaseUrl mysql_database_url(const std::string& url);

// The same URL naming another database; the rest (credentials, parameters) is kept as written.
std::string mysql_url_with_database(const std::string& url, const std::string& database);

}  // namespace migpkg::runtime::mysql
