// SQLite: differences from the PostgreSQL defaults.
#include "compiler/dialects/dialect.hpp"

namespace migpkg {

const Dialect& sqlite_dialect() {
  static const Dialect dialect([] {
    DialectSpec s;
    s.name = "sqlite";
    s.engine = ir::Engine::SQLite;
    // SQLite >= 3.23 knows TRUE/FALSE, but 1/0 is what it stores and what every version reads.
    s.true_literal = "1";
    s.false_literal = "0";
    s.split.bracket_identifiers = true;
    s.split.backtick_identifiers = true;
    s.functions = {
        {"upper", "UPPER({0})"},
        {"lower", "LOWER({0})"},
        {"trim", "TRIM({0})"},
        {"ltrim", "LTRIM({0})"},
        {"rtrim", "RTRIM({0})"},
        {"length", "LENGTH({0})"},
        {"abs", "ABS({0})"},
        {"round", "ROUND({0}[, {1}])"},
        {"substring", "SUBSTR({0}, {1}[, {2}])"},
        {"replace", "REPLACE({0}, {1}, {2})"},
        {"concat", "(CAST({0} AS TEXT) || {*})"},
        {"coalesce", "COALESCE({0}, {1})"},
        {"nullif", "NULLIF({0}, {1})"},
        {"to_text", "CAST({0} AS TEXT)"},
        {"to_integer", "CAST({0} AS INTEGER)"},
        {"to_decimal", "CAST({0} AS NUMERIC)"},
        // SQLite has no boolean type: map the usual spellings to 1/0 as PostgreSQL would.
        {"to_boolean",
         "(CASE WHEN {0} IS NULL THEN NULL WHEN LOWER(CAST({0} AS TEXT)) IN ('1', 't', 'true', "
         "'y', 'yes', 'on') THEN 1 ELSE 0 END)"},
    };
    return s;
  }());
  return dialect;
}

}  // namespace migpkg
