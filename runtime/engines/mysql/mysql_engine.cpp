// MysqlEngine: spellings, opening connections, and the key a batched transform runs on.
#include "runtime/engines/mysql/mysql_engine.hpp"

#include <stdexcept>

#include "compiler/planner/plan.hpp"
#include "runtime/engines/mysql/connection.hpp"

namespace migpkg::runtime::mysql {

const EngineSpellings& MysqlEngine::spellings() const {
  static const EngineSpellings kSpellings = [] {
    EngineSpellings s;
    s.auto_id_column = "BIGINT PRIMARY KEY AUTO_INCREMENT";
    // utf8mb4 takes up to 4 bytes a character: 255 characters (1020 bytes) fit InnoDB's 3072-byte
    // key limit three times over, so a composite key of up to three such columns works. The
    // character set is spelled out (a database may default to latin1) and the collation is
    // binary: migpkg compares its own values exactly, as SQLite and PostgreSQL do, never
    // case-insensitively ("Foo" and "foo" are two plugins). utf8mb4_bin still ignores trailing
    // spaces in comparisons (PAD SPACE), which MySQL 8's NO PAD utf8mb4_0900_bin would not;
    // that one does not exist on MariaDB.
    s.key_text = "VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
    s.long_text = "LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
    s.true_literal = "1";
    s.false_literal = "0";
    // Byte strings read back as their raw bytes (no "\x" text form as on PostgreSQL).
    s.bytes_prefix = "";
    // Beware: IGNORE also turns other errors of the statement (a NOT NULL, a too long value)
    // into warnings; it is only for rows whose other columns are known to fit.
    s.insert_ignore_prefix = "IGNORE ";  // between INSERT and INTO (row_generator.cpp)
    s.insert_ignore_suffix = "";
    return s;
  }();
  return kSpellings;
}

std::string MysqlEngine::bytes_value(const std::string& hex_digits) const {
  auto digit = [&](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw std::invalid_argument("not a hexadecimal digit: '" + std::string(1, c) + "'");
  };
  if (hex_digits.size() % 2 != 0)
    throw std::invalid_argument("an odd number of hexadecimal digits: " + hex_digits);
  std::string out;
  for (std::size_t i = 0; i < hex_digits.size(); i += 2)
    out += static_cast<char>(digit(hex_digits[i]) * 16 + digit(hex_digits[i + 1]));
  return out;
}

std::unique_ptr<Connection> MysqlEngine::open(const DatabaseUrl& url, int lock_wait_ms) const {
  return std::make_unique<MysqlConnection>(parse_mysql_url(url.conninfo),
                                           redact_password(url.conninfo), lock_wait_ms);
}

std::string MysqlEngine::batch_key(Connection& connection,
                                   const plan::TransformInfo& transform) const {
  TableName table = parse_table_name(transform.source_table);
  ResultSet key = connection.query(
      "SELECT c.COLUMN_NAME, c.DATA_TYPE FROM information_schema.STATISTICS s "
      "JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = s.TABLE_SCHEMA AND "
      "c.TABLE_NAME = s.TABLE_NAME AND c.COLUMN_NAME = s.COLUMN_NAME "
      "WHERE s.TABLE_SCHEMA = COALESCE(NULLIF($1, ''), DATABASE()) AND s.TABLE_NAME = $2 "
      "AND s.INDEX_NAME = 'PRIMARY'",
      {table.database, table.name});
  if (key.rows.size() != 1) return "";
  static const char* const kIntegers[] = {"tinyint", "smallint", "mediumint", "int", "bigint"};
  std::string type = key.rows[0][1].value_or("");
  for (const char* integer : kIntegers)
    if (type == integer) return quote_name(key.rows[0][0].value_or(""));
  return "";
}

std::int64_t MysqlEngine::insert_returning_id(Connection& connection, const std::string& insert,
                                              const Connection::Params& params) const {
  connection.execute(insert, params);
  ResultSet result = connection.query("SELECT LAST_INSERT_ID()");
  return result.rows.empty() || !result.rows[0][0] ? 0 : std::stoll(*result.rows[0][0]);
}

const MysqlEngine& mysql_engine() {
  static const MysqlEngine engine;
  return engine;
}

TableName parse_table_name(const std::string& written) {
  std::vector<std::string> parts(1);
  char quote = 0;
  for (std::size_t i = 0; i < written.size(); ++i) {
    char c = written[i];
    if (quote) {
      if (c == quote) {
        if (i + 1 < written.size() && written[i + 1] == quote) {
          parts.back() += c;
          ++i;
        } else {
          quote = 0;
        }
      } else {
        parts.back() += c;
      }
    } else if (c == '`' || c == '"') {
      quote = c;
    } else if (c == '.') {
      parts.emplace_back();
    } else if (c != ' ') {
      parts.back() += c;
    }
  }
  if (parts.size() >= 2) return {parts[parts.size() - 2], parts.back()};
  return {"", parts.back()};
}

std::string MysqlEngine::backup_database_name(Connection* connection, const DatabaseUrl&) const {
  if (!connection) return "";
  ResultSet result = connection->query("SELECT DATABASE()");
  return result.rows.empty() ? "" : result.rows[0][0].value_or("");
}

}  // namespace migpkg::runtime::mysql
