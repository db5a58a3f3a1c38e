#pragma once
// One SQL dialect, stated as data wherever a table can say it (sqlglot-style): quoting, literal
// spelling, feature flags and the spelling of each built-in transform function. Each dialect is
// one file (postgresql.cpp, sqlite.cpp, ...) that fills a DialectSpec and registers it by name.
#include <map>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/sql/statement_splitter.hpp"

namespace migpkg {

struct DialectSpec {
  std::string name;  // as used on the command line: "postgresql", "sqlite", ...
  ir::Engine engine;

  char identifier_open = '"';
  char identifier_close = '"';
  std::string true_literal = "TRUE";
  std::string false_literal = "FALSE";
  bool transactional_ddl = true;
  SplitOptions split;

  // Built-in transform functions: "{0}" is the value, "{1}".. the parameters, "{*}" every
  // parameter joined by the dialect's concatenation; "[...]" wraps what only an optional
  // parameter needs.
  std::map<std::string, std::string> functions;
  std::string concat_operator = "||";
};

class Dialect {
 public:
  explicit Dialect(DialectSpec spec) : spec_(std::move(spec)) {}
  const DialectSpec& spec() const { return spec_; }
  const std::string& name() const { return spec_.name; }
  ir::Engine engine() const { return spec_.engine; }

  // "users" -> "users" quoted; "crm.users" -> "crm"."users" (each part quoted).
  std::string quote_identifier(const std::string& name) const;
  std::string quote_qualified(const std::string& dotted_name) const;
  std::string string_literal(const std::string& text) const;
  std::string literal(const ir::Literal& value) const;
  std::vector<std::string> split(const std::string& script) const;

  // The function's SQL applied to `value`, or "" when the dialect has no spelling for it.
  std::string call_function(const std::string& name, const std::string& value,
                            const std::vector<ir::Literal>& parameters) const;

 private:
  DialectSpec spec_;
};

const Dialect* find_dialect(const std::string& name);
const Dialect& dialect_for(ir::Engine engine);  // only for engines with a registered dialect
std::vector<std::string> dialect_names();

// Each dialect file defines one of these; the registry lists them.
const Dialect& postgresql_dialect();
const Dialect& sqlite_dialect();

}  // namespace migpkg
