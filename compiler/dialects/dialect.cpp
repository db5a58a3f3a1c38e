#include "compiler/dialects/dialect.hpp"

#include <cstdio>
#include <stdexcept>

namespace migpkg {

void Dialect::append_identifier(std::string& out, std::string_view name) const {
  out += spec_.identifier_open;
  // A doubled closing quote escapes itself; names almost never hold one, so the text between
  // two of them (all of it, usually) goes in one append rather than byte by byte.
  for (std::size_t quote; (quote = name.find(spec_.identifier_close)) != std::string_view::npos;) {
    out.append(name.data(), quote + 1);
    out += spec_.identifier_close;
    name.remove_prefix(quote + 1);
  }
  out.append(name.data(), name.size());
  out += spec_.identifier_close;
}

void Dialect::append_qualified(std::string& out, std::string_view dotted_name) const {
  std::size_t start = 0;
  while (true) {
    std::size_t dot = dotted_name.find('.', start);
    if (start) out += '.';
    append_identifier(out, dotted_name.substr(start, dot - start));
    if (dot == std::string_view::npos) return;
    start = dot + 1;
  }
}

std::string Dialect::quote_identifier(const std::string& name) const {
  std::string out;
  out.reserve(name.size() + 2);
  append_identifier(out, name);
  return out;
}

std::string Dialect::quote_qualified(const std::string& dotted_name) const {
  std::string out;
  out.reserve(dotted_name.size() + 4);
  append_qualified(out, dotted_name);
  return out;
}

std::string Dialect::check_select(const std::string& condition, const std::string& from) const {
  std::string out = "SELECT ";
  if (spec_.boolean_select)
    out += condition;
  else
    out += "CASE WHEN " + condition + " THEN 1 ELSE 0 END";
  if (from.empty())
    out += spec_.no_table_from;
  else
    out += " FROM " + from;
  return out;
}

std::string Dialect::false_or_null(const std::string& predicate) const {
  // NOT COALESCE(p, FALSE) needs a boolean value for p, which SQL Server and Oracle lack; a
  // CASE tests the predicate itself, and NULL falls to ELSE as false does.
  if (spec_.boolean_select) return "NOT COALESCE((" + predicate + "), " + spec_.false_literal + ")";
  return "CASE WHEN (" + predicate + ") THEN 0 ELSE 1 END = 1";
}

std::string Dialect::table_alias(const std::string& alias) const {
  std::string out = spec_.table_alias_keyword;
  append_identifier(out, alias);
  return out;
}

std::string Dialect::string_literal(const std::string& text) const {
  std::string out;
  out.reserve(spec_.string_prefix.size() + text.size() + 2);
  out += spec_.string_prefix;
  out += '\'';
  // Quotes (and backslashes where they escape) are doubled; the text between them goes in one
  // append.
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'' || (c == '\\' && spec_.backslash_escapes)) {
      out.append(text, start, i + 1 - start);
      out += c;
      start = i + 1;
    }
  }
  out.append(text, start, std::string::npos);
  out += '\'';
  return out;
}

std::string Dialect::literal(const ir::Literal& value) const {
  switch (value.kind) {
    case ir::Literal::Kind::Null:
      return "NULL";
    case ir::Literal::Kind::Bool:
      return value.boolean ? spec_.true_literal : spec_.false_literal;
    case ir::Literal::Kind::Integer:
    case ir::Literal::Kind::Real:
      return value.text;
    case ir::Literal::Kind::String:
      return string_literal(value.text);
  }
  return "NULL";
}

std::vector<std::string> Dialect::split(const std::string& script) const {
  return split_statements(script, spec_.split);
}

std::string Dialect::call_function(const std::string& name, const std::string& value,
                                   const std::vector<ir::Literal>& parameters) const {
  auto it = spec_.functions.find(name);
  if (it == spec_.functions.end()) return {};
  // Expands "{0}" (the value), "{1}".. (parameters), "{*}" (all parameters, concatenated);
  // a "[...]" segment is kept only when every parameter it names was given.
  std::string out, segment;
  bool in_optional = false, optional_complete = true;
  const std::string& pattern = it->second;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    std::string& sink = in_optional ? segment : out;
    char c = pattern[i];
    if (c == '[') {
      in_optional = true;
      optional_complete = true;
      segment.clear();
    } else if (c == ']') {
      in_optional = false;
      if (optional_complete) out += segment;
    } else if (c == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}') {
      char slot = pattern[i + 1];
      if (slot == '0') {
        sink += value;
      } else if (slot == '*') {
        for (std::size_t p = 0; p < parameters.size(); ++p)
          sink += (p ? " " + spec_.concat_operator + " " : "") + literal(parameters[p]);
      } else {
        std::size_t index = static_cast<std::size_t>(slot - '1');
        if (index < parameters.size())
          sink += literal(parameters[index]);
        else
          optional_complete = false;
      }
      i += 2;
    } else {
      sink += c;
    }
  }
  return out;
}

namespace {

// The one list of dialects, in the order `pack` writes them and messages name them.
constexpr const Dialect& (*kDialects[])() = {postgresql_dialect, sqlite_dialect, mysql_dialect,
                                             sqlserver_dialect, oracle_dialect};

}  // namespace

const Dialect* find_dialect(const std::string& name) {
  for (auto dialect : kDialects)
    if (dialect().name() == name) return &dialect();
  return nullptr;
}

const Dialect& dialect_for(ir::Engine engine) {
  // A dialect that compiles for an engine is named after it (test_dialects checks it).
  const Dialect* dialect = find_dialect(ir::engine_name(engine));
  if (!dialect) throw std::logic_error(std::string("no dialect for ") + ir::engine_name(engine));
  return *dialect;
}

std::vector<std::string> dialect_names() {
  std::vector<std::string> names;
  for (auto dialect : kDialects) names.push_back(dialect().name());
  return names;
}

}  // namespace migpkg
