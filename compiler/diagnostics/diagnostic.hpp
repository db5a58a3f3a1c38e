#pragma once
// One diagnostic type for the whole tool. Front ends, the validator and the planner append
// Diagnostics to a sink; only the CLI renders them (text or JSON).
#include <string>
#include <vector>

#include "compiler/ir/source_location.hpp"

namespace migpkg {

enum class DiagnosticSeverity { Error, Warning, Note };
const char* to_string(DiagnosticSeverity severity);

struct Diagnostic {
  DiagnosticSeverity severity = DiagnosticSeverity::Error;
  std::string code;  // stable, kebab-case, e.g. "unknown-field"; documented in docs/diagnostics.md
  std::string message;  // one sentence, no trailing period
  SourceLocation location;
  std::string hint;  // optional: "did you mean `version`?"
};

class Diagnostics {
 public:
  void add(Diagnostic diagnostic) { items_.push_back(std::move(diagnostic)); }
  void error(std::string code, const SourceLocation& where, std::string message,
             std::string hint = {});
  void warning(std::string code, const SourceLocation& where, std::string message,
               std::string hint = {});
  void append(const Diagnostics& other);

  bool has_errors() const;
  std::size_t error_count() const;
  std::size_t warning_count() const;
  const std::vector<Diagnostic>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

  // Stable order for output: by file, then by position (line/col or pointer), then insertion.
  void sort();

 private:
  std::vector<Diagnostic> items_;
};

// "did you mean" support: the closest candidate within a small edit distance, or "".
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace migpkg
