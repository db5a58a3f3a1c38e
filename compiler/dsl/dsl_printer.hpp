#pragma once
// Any IR migration written as canonical DSL: what `migpkg convert --to dsl` prints. Parsing the
// output gives back the same IR (and so the same portable-migration-v1 JSON), which makes
// JSON -> DSL -> JSON a fixed point. Canonical means: one fixed order of members, defaults
// left out, two-space indentation, SQL in dollar-quoted blocks (docs/dsl.md, "Canonical form").
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace migpkg::dsl {

// `migrations` must all belong to one plugin (a .mig file declares one).
std::string print_dsl(const std::vector<ir::Migration>& migrations);

// Where the printer may put an author's comments: before or at the end of the first line of a
// node the IR locates (a migration, a step, a column: `member` empty, line:column its
// location), or of a migration's member line (`member` the member's first word, line:column
// the migration's location). The `plugin` line is {0, 0, "plugin"}.
struct CommentAnchor {
  int line = 0, column = 0;
  std::string member;
};

inline bool operator<(const CommentAnchor& a, const CommentAnchor& b) {
  if (a.line != b.line) return a.line < b.line;
  if (a.column != b.column) return a.column < b.column;
  return a.member < b.member;
}

// What a DSL source adds to the canonical form of its IR (dsl_source_print.hpp fills it from
// the source text): comments, the file's `use` lines and groups, and the `use` a table's
// columns came from.
class PrintHooks {
 public:
  virtual ~PrintHooks() = default;
  // Whole comment lines before the anchor's first line, each indented by `indent`.
  virtual std::string leading(const CommentAnchor& anchor, const std::string& indent) = 0;
  // Text to end the anchor's first line with ("  -- ..."), or "".
  virtual std::string trailing(const CommentAnchor& anchor) = 0;
  // The group whose `use` at `at` gave a table its column or constraint, or "".
  virtual std::string group_at(const SourceLocation& at) = 0;
  // Printed after the `plugin` line: the file's `use` lines and groups.
  virtual std::string preamble() = 0;
  // Printed after the last migration: comments that precede nothing.
  virtual std::string epilogue() = 0;
};

// print_dsl with a source's comments, `use` lines and groups kept.
std::string print_dsl(const std::vector<ir::Migration>& migrations, PrintHooks& hooks);

// Pieces, also used by tests.
std::string print_literal(const ir::Literal& literal);
std::string print_change(const ir::SchemaChange& change, const std::string& indent);

}  // namespace migpkg::dsl
