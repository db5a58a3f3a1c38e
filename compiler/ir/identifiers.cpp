#include "compiler/ir/identifiers.hpp"

// Hand-written rather than std::regex: these run for every migration and step id of every
// source, and libstdc++'s regex made them a visible share of loading 500 small migrations.
namespace migpkg {
namespace {

bool lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool alnum(char c) {
  return lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

bool separator(char c) {
  return c == '.' || c == '_' || c == '-';
}

}  // namespace

// ^[a-z0-9]([a-z0-9._-]{0,126}[a-z0-9])?$
bool is_valid_plugin_id(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  if (!lower_alnum(id.front()) || !lower_alnum(id.back())) return false;
  for (char c : id)
    if (!lower_alnum(c) && !separator(c)) return false;
  return true;
}

// ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$
bool is_valid_id(const std::string& id) {
  if (id.empty() || id.size() > 128 || !alnum(id.front())) return false;
  for (char c : id)
    if (!alnum(c) && !separator(c)) return false;
  return true;
}

}  // namespace migpkg
