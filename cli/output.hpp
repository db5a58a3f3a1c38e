#pragma once
// Everything the CLI shows a person or a program: diagnostics as text (with the source line and
// a caret where a line and column are known) or JSON, and files written whole or not at all.
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/diagnostics/render.hpp"

namespace migpkg::cli {

// Exit codes (docs/cli.md).
enum ExitCode {
  kOk = 0,
  kFailed = 1,
  kUsage = 2,
  kTrust = 3,
  kLocked = 4,
  kDrift = 5,
  kCancelled = 6
};

void print_diagnostics(const Diagnostics& diagnostics);  // to stderr, with a summary line

// For a command that goes on only when its inputs have no errors: with errors, reports them
// (the diagnostics array on stdout with --json, else text on stderr) and returns true; without,
// prints any warnings as text (never into --json output) and returns false.
bool stop_on_errors(const Diagnostics& diagnostics, bool json);

// Writes `content` to `path` through a temporary file and rename, so a failed run never
// leaves a half-written output; "-" means stdout. A path that exists and is not a regular file
// (/dev/null, a FIFO) is written into instead; a symbolic link is followed.
void write_output(const std::string& path, const std::string& content);

bool stderr_is_terminal();

}  // namespace migpkg::cli
