#pragma once
// Where an IR node came from. JSON sources are located by RFC 6901 JSON pointer (plus line and
// column when the loader knows them); DSL sources by line and column. Rendering happens only at
// the edge (the CLI), so the IR just keeps the data.
#include <string>

#include "compiler/ir/file_name.hpp"

namespace migpkg {

struct SourceLocation {
  FileName file;        // path as the user gave it (interned); empty for generated nodes
  std::string pointer;  // JSON pointer, e.g. "/migration/steps/up/2/sql"; empty for DSL
  int line = 0;         // 1-based; 0 = unknown
  int column = 0;       // 1-based; 0 = unknown

  // A DSL location (line and column, no JSON pointer): hints then speak the DSL's words
  // (`irreversible`) instead of the JSON members ("rollbackSupported": false).
  bool is_dsl() const { return pointer.empty() && !file.empty(); }

  // A location for a child member of this one: "/a" + "b" -> "/a/b" (escaping ~ and /).
  SourceLocation child(const std::string& key) const;
  SourceLocation child(std::size_t index) const;
};

// RFC 6901 escaping of one reference token.
std::string escape_json_pointer_token(const std::string& token);

}  // namespace migpkg
