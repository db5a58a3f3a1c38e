#pragma once
// migpkg public API: diagnostics as data. What `validate --json` prints, one struct per
// diagnostic (docs/diagnostics.md lists the codes). Standard C++17 only.
#include <string>
#include <vector>

namespace migpkg::api {

enum class Severity { Error, Warning, Note };

// "error", "warning", "note".
const char* severity_name(Severity severity);

// Where a diagnostic points: a JSON source by JSON pointer, a DSL source by line and column
// (1-based; 0 when unknown). `file` is empty for what has no source (a generated node).
struct Location {
  std::string file;
  std::string pointer;
  int line = 0;
  int column = 0;
};

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string code;     // stable, kebab-case, e.g. "unknown-field"
  std::string message;  // one sentence
  Location location;
  std::string hint;  // may be empty: "did you mean `version`?"
  // The diagnostic as the command line prints it (location, message, source line with a
  // caret, hint), for hosts that show it to people as is.
  std::string text;
};

// Whether any of them is an error.
bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace migpkg::api
