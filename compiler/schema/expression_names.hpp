#pragma once
// The column names inside the SQL expressions of declarative changes (check constraints, `sql`
// column defaults, partial-index predicates). Generated DDL quotes every identifier, so a column
// named `Quantity` is created case-sensitively; an expression that names it must then quote it
// the way each dialect quotes (`"Quantity"`, `` `Quantity` ``, `[Quantity]`), or PostgreSQL and
// Oracle fold it to another name and MySQL reads `"Quantity"` as a string.
//
// Expressions are therefore written in one portable syntax: ANSI `"name"` for identifiers,
// `'text'` (with `''`) for strings. A light tokenizer (not a parser) finds the names: a bare
// word that names a column of the table (case-insensitively) or a double-quoted name (exactly)
// is written as that column's exact name in the dialect's quoting. Keywords, function names (a
// word followed by `(`), type names after `AS` or `::`, numbers, strings and comments are kept
// as written. The stored expression keeps its portable form; only the emitted SQL is quoted per
// dialect, so the automatic down steps and the schema replay stay dialect-free.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/schema_change.hpp"

namespace migpkg::schema {

struct ExpressionToken {
  enum class Kind {
    Word,        // a bare identifier, keyword or function name
    QuotedName,  // "name" ("" is a quote inside)
    String,      // 'text' ('' is a quote inside), with any prefix letters (N'..', X'..')
    Number,
    Comment,  // -- to the end of the line, or /* ... */
    Space,
    Other,  // operators, parentheses, commas, ...
  };
  Kind kind = Kind::Other;
  std::size_t begin = 0, end = 0;  // byte offsets into the expression
  std::string name;                // Word: as written; QuotedName: without quotes, "" unescaped
  // Word: the word is not a column reference whatever the table holds (a keyword, a function
  // name, a type name, a qualifier, a string prefix).
  bool never_column = false;
};

// Something the tokenizer cannot read, or a name that is not the table's.
struct ExpressionProblem {
  std::size_t offset = 0;  // byte offset into the expression
  std::string message;     // "unterminated string", ...
  std::string hint;
};

struct LexedExpression {
  std::vector<ExpressionToken> tokens;
  std::optional<ExpressionProblem> problem;  // set: `tokens` is incomplete
};

LexedExpression lex_expression(std::string_view text);

// The column a name token refers to, among `columns`: nullptr when it names none. A bare word
// matches case-insensitively (an exact match wins; two case-insensitive matches and no exact one
// is a problem), a quoted name only exactly.
struct ColumnMatch {
  const ir::Column* column = nullptr;
  std::optional<ExpressionProblem> problem;
};
ColumnMatch match_column(const ExpressionToken& token, const std::vector<ir::Column>& columns);

// The problems of an expression as portable source: what the tokenizer cannot read and, when
// the table's columns are known (`columns` not null), a double-quoted name that is no column of
// it or a bare word that matches two. "" when there is none. Independent of the dialect.
std::optional<ExpressionProblem> expression_problem(std::string_view text,
                                                    const std::vector<ir::Column>* columns);

// "at character N of the expression" (N counts UTF-8 characters from 1), for messages.
std::string expression_position(std::string_view text, std::size_t offset);

// The expression for one dialect: every column reference becomes `quote(exact name)`; a quoted
// name when the columns are unknown (`columns` null: a table raw SQL created) is quoted the
// dialect's way too; a string literal holding a backslash is spelled by `string_literal` (MySQL
// reads a backslash as an escape). Everything else is kept byte for byte. Throws nothing;
// `problem` is set (and `text` empty) when the expression has one.
struct QuotedExpression {
  std::string text;
  std::optional<ExpressionProblem> problem;
};
QuotedExpression quote_expression_columns(
    std::string_view text, const std::vector<ir::Column>* columns,
    const std::function<void(std::string&, const std::string&)>& append_identifier,
    const std::function<std::string(const std::string&)>& string_literal);

// The expression names column `column` of `columns` (as quote_expression_columns would see it).
bool expression_names_column(std::string_view text, const std::vector<ir::Column>& columns,
                             const std::string& column);

// The expression ends in a `--` comment, which would swallow what is written after it.
bool ends_in_line_comment(std::string_view text);

// The expression in portable form with column `from` renamed to `to`: each reference to `from`
// (among `columns`, the table before the rename) becomes `to`, double-quoted. Anything else is
// kept byte for byte; an expression with a problem is returned as it is.
std::string rename_expression_column(std::string_view text, const std::vector<ir::Column>& columns,
                                     const std::string& from, const std::string& to);

}  // namespace migpkg::schema
