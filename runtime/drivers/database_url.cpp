// Database URL helpers every engine shares (DatabaseUrl::parse is the registry's,
// engine_registry.cpp). Linked into libmigpkg and into every engine module.
#include <stdexcept>
#include <string>

#include "compiler/util/percent_encoding.hpp"
#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {
namespace {

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// Rewrites the value of every `key=` parameter in an `a=1&b=2` list.
std::string replace_parameter(const std::string& parameters, const std::string& key,
                              const std::string& value) {
  std::string out;
  std::size_t start = 0;
  while (start <= parameters.size()) {
    std::size_t end = parameters.find('&', start);
    if (end == std::string::npos) end = parameters.size();
    std::string item = parameters.substr(start, end - start);
    if (starts_with(item, key + "=")) item = key + "=" + value;
    if (start > 0) out += '&';
    out += item;
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string with_database(const std::string& pg_url, const std::string& dbname) {
  if (pg_url.find("://") == std::string::npos)
    throw std::invalid_argument("not a server URL: '" + redact_password(pg_url) + "'");
  std::size_t authority_start = pg_url.find("://") + 3;
  std::size_t authority_end = pg_url.find_first_of("/?", authority_start);
  std::string authority = pg_url.substr(0, authority_end);
  std::string parameters;
  std::size_t query = pg_url.find('?', authority_start);
  // A dbname parameter would override the path, so it must change as well.
  if (query != std::string::npos)
    parameters = "?" + replace_parameter(pg_url.substr(query + 1), "dbname",
                                         percent_encode(dbname, kUrlUnreserved));
  return authority + "/" + percent_encode(dbname, kUrlUnreserved) + parameters;
}

std::string redact_password(const std::string& url) {
  std::string out = url;
  std::size_t query = out.find('?');
  std::size_t authority_start = out.find("://");
  if (authority_start != std::string::npos) {
    authority_start += 3;
    // The last '@' before the parameters ends the user info even when the password holds a
    // stray '/' or '@'; over-redacting a database name is harmless, leaking a password is not.
    std::size_t at = out.rfind('@', query == std::string::npos ? std::string::npos : query);
    if (at != std::string::npos && at >= authority_start) {
      std::size_t colon = out.find(':', authority_start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // Both "?password=x" and conninfo strings ("host=h password=x") carry it as key=value.
  std::size_t pos = 0;
  while ((pos = out.find("password=", pos)) != std::string::npos) {
    bool at_key_start =
        pos == 0 || out[pos - 1] == '?' || out[pos - 1] == '&' || out[pos - 1] == ' ';
    std::size_t value = pos + std::string("password=").size();
    if (!at_key_start) {
      pos = value;
      continue;
    }
    std::size_t end = out.find_first_of("& ", value);
    if (end == std::string::npos) end = out.size();
    out.replace(value, end - value, "***");
    pos = value + 3;
  }
  return out;
}

}  // namespace migpkg::runtime
