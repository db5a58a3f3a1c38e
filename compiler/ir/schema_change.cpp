#include "compiler/ir/schema_change.hpp"

namespace migpkg::ir {

const char* to_string(ColumnType::Kind kind) {
  static const char* names[] = {"bool",        "int16",   "int32",   "int64", "serial", "bigserial",
                                "decimal",     "float32", "float64", "text",  "string", "char",
                                "bytes",       "uuid",    "json",    "date",  "time",   "timestamp",
                                "timestamptz", "enum",    "vector"};
  return names[static_cast<int>(kind)];
}

// camelCase, as the JSON `change` member spells the kinds.
const char* to_string(SchemaChange::Kind kind) {
  static const char* names[] = {
      "createTable",    "dropTable",       "renameTable",   "addColumn",
      "dropColumn",     "renameColumn",    "alterColumn",   "addConstraint",
      "dropConstraint", "createIndex",     "dropIndex",     "createView",
      "dropView",       "createExtension", "dropExtension", "setComment"};
  return names[static_cast<int>(kind)];
}

const char* to_string(ReferentialAction action) {
  static const char* names[] = {"no action", "restrict", "cascade", "set null", "set default"};
  return names[static_cast<int>(action)];
}

const char* to_string(Constraint::Kind kind) {
  static const char* names[] = {"primaryKey", "unique", "foreignKey", "check"};
  return names[static_cast<int>(kind)];
}

const char* to_string(ColumnDefault::Kind kind) {
  static const char* names[] = {"literal", "now", "uuid", "json", "expression"};
  return names[static_cast<int>(kind)];
}

}  // namespace migpkg::ir
