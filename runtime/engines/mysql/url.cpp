// Parsing of mysql:// and mariadb:// URLs (url.hpp).
#include "runtime/engines/mysql/url.hpp"

#include <stdexcept>

#include "compiler/util/percent_encoding.hpp"
#include "runtime/engines/engine.hpp"

namespace migpkg::runtime::mysql {
namespace {

const char kForm[] =
    "expected mysql://[user[:password]@][host][:port][/database][?param=value&...] (mariadb:// "
    "is accepted too; parameters: socket, connect_timeout, ssl_mode, ssl_ca)";

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

[[noreturn]] void refuse(const std::string& url, const std::string& why) {
  throw std::invalid_argument("invalid MySQL URL '" + redact_password(url) + "': " + why + "; " +
                              kForm);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(const std::string& url, const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    int high = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
    int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
    if (i + 2 >= text.size() || high < 0 || low < 0)
      refuse(url, "a '%' is not followed by two hexadecimal digits");
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

unsigned number(const std::string& url, const std::string& what, const std::string& text,
                unsigned max) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
    refuse(url, what + " '" + text + "' is not a number");
  unsigned long value = std::stoul(text);
  if (value == 0 || value > max) refuse(url, what + " " + text + " is out of range");
  return static_cast<unsigned>(value);
}

std::size_t scheme_length(const std::string& url) {
  if (starts_with(url, "mysql://")) return 8;
  if (starts_with(url, "mariadb://")) return 10;
  return 0;
}

}  // namespace

bool is_mysql_url(const std::string& url) {
  return scheme_length(url) != 0;
}

MysqlUrl parse_mysql_url(const std::string& url) {
  std::size_t start = scheme_length(url);
  if (start == 0) refuse(url, "it starts with neither mysql:// nor mariadb://");
  MysqlUrl parsed;
  std::size_t query = url.find('?', start);
  std::string rest =
      url.substr(start, query == std::string::npos ? std::string::npos : query - start);
  // The last '@' ends the user info, so that a password may hold a '/' or an '@' unencoded.
  std::size_t at = rest.rfind('@');
  std::string authority_and_path = rest;
  if (at != std::string::npos) {
    std::string user_info = rest.substr(0, at);
    authority_and_path = rest.substr(at + 1);
    std::size_t colon = user_info.find(':');
    parsed.user = percent_decode(url, user_info.substr(0, colon));
    if (colon != std::string::npos)
      parsed.password = percent_decode(url, user_info.substr(colon + 1));
  }
  std::size_t slash = authority_and_path.find('/');
  std::string authority = authority_and_path.substr(0, slash);
  if (slash != std::string::npos) {
    parsed.database = percent_decode(url, authority_and_path.substr(slash + 1));
    if (parsed.database.find('/') != std::string::npos)
      refuse(url, "the database name holds a '/' (write it as %2F if it is part of the name)");
  }
  std::string host = authority, port;
  if (starts_with(authority, "[")) {  // [IPv6]:port
    std::size_t close = authority.find(']');
    if (close == std::string::npos) refuse(url, "an IPv6 host lacks its closing ']'");
    host = authority.substr(1, close - 1);
    std::string after = authority.substr(close + 1);
    if (!after.empty() && after[0] != ':') refuse(url, "unexpected text after the IPv6 host");
    if (!after.empty()) port = after.substr(1);
  } else {
    std::size_t colon = authority.rfind(':');
    if (colon != std::string::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
    }
    host = percent_decode(url, host);
  }
  if (!host.empty()) parsed.host = host;
  if (!port.empty()) parsed.port = number(url, "port", port, 65535);

  if (query != std::string::npos) {
    std::string parameters = url.substr(query + 1);
    std::size_t position = 0;
    while (position <= parameters.size()) {
      std::size_t end = parameters.find('&', position);
      if (end == std::string::npos) end = parameters.size();
      std::string item = parameters.substr(position, end - position);
      position = end + 1;
      if (item.empty()) continue;
      std::size_t equals = item.find('=');
      if (equals == std::string::npos) refuse(url, "parameter '" + item + "' has no value");
      std::string key = item.substr(0, equals);
      std::string value = percent_decode(url, item.substr(equals + 1));
      if (key == "socket") {
        parsed.socket = value;
      } else if (key == "connect_timeout") {
        parsed.connect_timeout = number(url, "connect_timeout", value, 3600);
      } else if (key == "ssl_mode") {
        if (value != "disabled" && value != "required" && value != "verify_ca" &&
            value != "verify_identity")
          refuse(url, "ssl_mode '" + value +
                          "' is not one of disabled, required, verify_ca, verify_identity");
        parsed.ssl_mode = value;
      } else if (key == "ssl_ca") {
        parsed.ssl_ca = value;
      } else {
        refuse(url, "unknown parameter '" + key + "'");
      }
    }
  }
  return parsed;
}

DatabaseUrl mysql_database_url(const std::string& url) {
  parse_mysql_url(url);  // refuses a malformed URL here rather than at the first connection
  DatabaseUrl parsed;
  parsed.engine = ir::Engine::MySQL;
  parsed.conninfo = url;
  return parsed;
}

std::string mysql_url_with_database(const std::string& url, const std::string& database) {
  std::size_t start = scheme_length(url);
  if (start == 0) refuse(url, "it starts with neither mysql:// nor mariadb://");
  std::size_t query = url.find('?', start);
  std::size_t at = url.rfind('@', query == std::string::npos ? std::string::npos : query);
  std::size_t authority = at != std::string::npos && at >= start ? at + 1 : start;
  std::size_t slash = url.find('/', authority);
  if (query != std::string::npos && slash != std::string::npos && slash > query)
    slash = std::string::npos;
  std::size_t end = slash != std::string::npos   ? slash
                    : query != std::string::npos ? query
                                                 : url.size();
  return url.substr(0, end) + "/" + percent_encode(database, kUrlUnreserved) +
         (query == std::string::npos ? "" : url.substr(query));
}

}  // namespace migpkg::runtime::mysql
