#pragma once
// The lint rules' table: every code `migpkg lint` and `validate --lint` can report, with its
// name, family, default level, summary and hint (docs/lint.md lists them; a test holds the two
// together). Codes are stable: a rule is never renumbered, and a retired code is not reused.
#include <optional>
#include <string>
#include <vector>

namespace migpkg::lint {

// What a finding of a rule makes of a run: `Error` fails it (exit 1), `Warning` is shown, `Off`
// is not reported.
enum class Level { Off, Warning, Error };
const char* to_string(Level level);                             // "off", "warning", "error"
std::optional<Level> level_from_name(const std::string& name);  // the same spellings

struct Rule {
  const char* code;      // "L101"
  const char* name;      // "drop-table"
  const char* family;    // "data-loss", "rewrite", "lock", "compatibility", "backup"
  Level level;           // by default
  const char* dialects;  // where it applies: "every dialect", "postgresql", ...
  const char* summary;   // one line: what it flags
  const char* hint;      // what the author can do instead
};

// In code order.
const std::vector<Rule>& rules();
// By code ("L101") or name ("drop-table"), or nullptr.
const Rule* find_rule(const std::string& code_or_name);

}  // namespace migpkg::lint
