#pragma once
// The conservative scan of raw SQL the lint rules do (docs/lint.md, "Raw SQL"): a statement is
// recognised by its first words only (after comments), never parsed. What it does not
// recognise it says nothing about.
#include <optional>
#include <string>
#include <vector>

namespace migpkg::lint {

// What one raw statement is, as far as the scan sees. Names are normalized (quotes and schema
// dropped, lower case: runtime/history/object_owners.hpp's normalized_object_name).
struct RawStatement {
  enum class Kind {
    Other,
    CreateTable,
    DropTable,
    Truncate,
    DropColumn,     // ALTER TABLE t DROP [COLUMN] c
    CreateIndex,    // CREATE [UNIQUE] INDEX ... ON t
    AddForeignKey,  // ALTER TABLE t ADD [CONSTRAINT n] FOREIGN KEY
    AddCheck,       // ALTER TABLE t ADD [CONSTRAINT n] CHECK
  };
  Kind kind = Kind::Other;
  std::string table;
  std::string column;         // DropColumn
  bool concurrently = false;  // CreateIndex
  bool not_valid = false;     // AddForeignKey, AddCheck
};

RawStatement scan_statement(const std::string& statement);

// The tables a script's CREATE TABLE statements create (split at ';' roughly: only to find
// names, the statements themselves are not run).
std::vector<std::string> tables_created_by(const std::string& script);

}  // namespace migpkg::lint
