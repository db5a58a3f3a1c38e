#include "compiler/ir/schema_change.hpp"

#include <iterator>

namespace migpkg::ir {

const char* to_string(ColumnType::Kind kind) {
  static const char* names[] = {"bool",        "int16",   "int32",   "int64", "serial", "bigserial",
                                "decimal",     "float32", "float64", "text",  "string", "char",
                                "bytes",       "uuid",    "json",    "date",  "time",   "timestamp",
                                "timestamptz", "enum",    "vector"};
  static_assert(std::size(names) == static_cast<std::size_t>(ColumnType::Kind::Vector) + 1);
  return names[static_cast<int>(kind)];
}

const char* to_string(SchemaChange::Kind kind) {
  static const char* names[] = {
      "createTable",    "dropTable",       "renameTable",   "addColumn",
      "dropColumn",     "renameColumn",    "alterColumn",   "addConstraint",
      "dropConstraint", "createIndex",     "dropIndex",     "createView",
      "dropView",       "createExtension", "dropExtension", "setComment"};
  static_assert(std::size(names) == kChangeKindCount);
  return names[static_cast<int>(kind)];
}

const char* to_string(ReferentialAction action) {
  static const char* names[] = {"no action", "restrict", "cascade", "set null", "set default"};
  static_assert(std::size(names) == static_cast<std::size_t>(ReferentialAction::SetDefault) + 1);
  return names[static_cast<int>(action)];
}

const char* to_string(Constraint::Kind kind) {
  static const char* names[] = {"primaryKey", "unique", "foreignKey", "check"};
  static_assert(std::size(names) == static_cast<std::size_t>(Constraint::Kind::Check) + 1);
  return names[static_cast<int>(kind)];
}

const char* to_string(ColumnDefault::Kind kind) {
  static const char* names[] = {"literal", "now", "uuid", "json", "expression"};
  static_assert(std::size(names) == static_cast<std::size_t>(ColumnDefault::Kind::Expression) + 1);
  return names[static_cast<int>(kind)];
}

}  // namespace migpkg::ir
