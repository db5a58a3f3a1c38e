#pragma once
// Diagnostics for people (file: pointer or file:line:col, message, source line with a caret,
// hint) and for programs (JSON). Kept apart from the Diagnostic data so that only the edges --
// the CLI, or an installer embedding libmigpkg -- decide how to show them.
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/diagnostics/diagnostic.hpp"

namespace migpkg {

std::string render_diagnostic(const Diagnostic& diagnostic);
nlohmann::ordered_json diagnostics_json(const Diagnostics& diagnostics);
nlohmann::ordered_json location_to_json(const SourceLocation& location);

}  // namespace migpkg
