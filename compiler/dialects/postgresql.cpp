// PostgreSQL: the reference dialect; DialectSpec's defaults, functions and types included, are
// its spellings.
#include "compiler/dialects/dialect.hpp"

namespace migpkg {

const Dialect& postgresql_dialect() {
  static const Dialect dialect([] {
    DialectSpec s;
    s.name = "postgresql";
    s.engine = ir::Engine::PostgreSQL;
    s.split.dollar_quotes = true;
    s.split.escape_strings = true;
    s.split.nested_comments = true;
    // Declarative changes. Enums are TEXT with a CHECK (no CREATE TYPE to manage and drop).
    s.ddl.max_string_length = 10485760;
    s.ddl.max_char_length = 10485760;
    s.ddl.enum_base_type = "TEXT";
    s.ddl.uuid_default = "gen_random_uuid()";  // built in since PostgreSQL 13
    s.ddl.supports_extensions = true;
    s.ddl.alter_style = DdlSpec::AlterStyle::PostgreSQL;
    s.ddl.comment_style = DdlSpec::CommentStyle::CommentOn;
    return s;
  }());
  return dialect;
}

}  // namespace migpkg
