#include "runtime/history/object_owners.hpp"

#include <cctype>
#include <regex>

namespace migpkg::runtime {
namespace {

const std::regex& create_pattern() {
  static const std::regex r(
      R"(^CREATE\s+(?:OR\s+REPLACE\s+)?(?:UNIQUE\s+)?(?:MATERIALIZED\s+)?(TABLE|VIEW|INDEX)\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?()" +
          sql_name_pattern() + ")",
      std::regex::icase | std::regex::optimize);
  return r;
}

const std::regex& drop_pattern() {
  static const std::regex r(
      R"(^DROP\s+(?:MATERIALIZED\s+)?(TABLE|VIEW|INDEX)\s+(?:CONCURRENTLY\s+)?(?:IF\s+EXISTS\s+)?()" +
          sql_name_pattern() + ")",
      std::regex::icase | std::regex::optimize);
  return r;
}

const std::regex& rename_pattern() {
  static const std::regex r(R"(^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?()" + sql_name_pattern() +
                                R"()\s+RENAME\s+TO\s+()" + sql_name_pattern() + ")",
                            std::regex::icase | std::regex::optimize);
  return r;
}

std::string lower(std::string text) {
  for (auto& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return text;
}

}  // namespace

const std::string& sql_name_pattern() {
  static const std::string part = R"((?:"[^"]+"|`[^`]+`|\[[^\]]+\]|[A-Za-z_][A-Za-z0-9_$]*))";
  static const std::string name = part + R"((?:\s*\.\s*)" + part + ")?";
  return name;
}

std::string statement_head(const std::string& statement) {
  std::size_t i = 0;
  while (i < statement.size()) {
    if (std::isspace(static_cast<unsigned char>(statement[i]))) {
      ++i;
    } else if (statement.compare(i, 2, "--") == 0) {
      i = statement.find('\n', i);
      if (i == std::string::npos) return "";
    } else if (statement.compare(i, 2, "/*") == 0) {
      i = statement.find("*/", i);
      if (i == std::string::npos) return "";
      i += 2;
    } else {
      break;
    }
  }
  return statement.substr(i, 400);
}

std::string normalized_object_name(const std::string& name) {
  // The last part of a qualified name, outside quotes.
  std::size_t start = 0;
  char quote = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char ch = name[i];
    if (quote) {
      if (ch == quote) quote = 0;
    } else if (ch == '"' || ch == '`') {
      quote = ch;
    } else if (ch == '[') {
      quote = ']';
    } else if (ch == '.') {
      start = i + 1;
    }
  }
  std::string part = name.substr(start);
  while (!part.empty() && std::isspace(static_cast<unsigned char>(part.front()))) part.erase(0, 1);
  if (part.size() >= 2 && (part.front() == '"' || part.front() == '`' || part.front() == '['))
    part = part.substr(1, part.size() - 2);
  return lower(part);
}

NameEffect name_effect(const std::string& statement) {
  std::string head = statement_head(statement);
  NameEffect effect;
  std::smatch match;
  if (head.size() < 6) return effect;
  char first = static_cast<char>(std::toupper(static_cast<unsigned char>(head[0])));
  if (first == 'C' && std::regex_search(head, match, create_pattern())) {
    effect.kind = NameEffect::Kind::Create;
  } else if (first == 'D' && std::regex_search(head, match, drop_pattern())) {
    effect.kind = NameEffect::Kind::Drop;
  } else if (first == 'A' && std::regex_search(head, match, rename_pattern())) {
    effect.kind = NameEffect::Kind::Rename;
    effect.object = "table";
    effect.name = normalized_object_name(match[1]);
    effect.new_name = normalized_object_name(match[2]);
    return effect;
  } else {
    return effect;
  }
  effect.object = lower(match[1]);
  effect.name = normalized_object_name(match[2]);
  return effect;
}

void ObjectOwners::replay(const plan::Migration& migration) {
  const ObjectOwner self{migration.plugin_id, migration.id};
  std::map<std::string, ObjectOwner> dropped_here;
  for (const auto& step : migration.up)
    for (const auto& statement : step.statements) {
      NameEffect effect = name_effect(statement);
      switch (effect.kind) {
        case NameEffect::Kind::None:
          break;
        case NameEffect::Kind::Create:
          if (auto d = dropped_here.find(effect.name); d != dropped_here.end())
            owners_[effect.name] = d->second;
          else
            owners_.emplace(effect.name, self);  // CREATE ... IF NOT EXISTS keeps the first
          break;
        case NameEffect::Kind::Drop:
          if (auto o = owners_.find(effect.name); o != owners_.end()) {
            dropped_here[effect.name] = o->second;
            owners_.erase(o);
          }
          break;
        case NameEffect::Kind::Rename: {
          ObjectOwner owner = self;
          if (auto d = dropped_here.find(effect.new_name); d != dropped_here.end())
            owner = d->second;
          else if (auto o = owners_.find(effect.name); o != owners_.end())
            owner = o->second;
          owners_.erase(effect.name);
          owners_[effect.new_name] = owner;
          break;
        }
      }
    }
}

std::set<std::string> ObjectOwners::names_owned_by(const std::set<std::string>& plugins) const {
  std::set<std::string> names;
  for (const auto& [name, owner] : owners_)
    if (plugins.count(owner.plugin_id)) names.insert(name);
  return names;
}

const ObjectOwner* ObjectOwners::owner(const std::string& name) const {
  auto it = owners_.find(name);
  return it == owners_.end() ? nullptr : &it->second;
}

}  // namespace migpkg::runtime
