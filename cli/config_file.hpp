#pragma once
// migpkg's configuration file: $XDG_CONFIG_HOME/migpkg/config.json, else
// ~/.config/migpkg/config.json, or the file --config names. Strict JSON
// (schemas/config.schema.json): a key migpkg does not know is refused, naming it by its JSON
// pointer, so that a misspelt setting never silently does nothing.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/arguments.hpp"

namespace migpkg::cli {

struct Config {
  std::string path;                                    // the file read, or "" when there was none
  std::optional<std::int64_t> backups_keep;            // keep the N newest backups
  std::optional<std::int64_t> backups_keep_days;       // keep backups younger than D days
  std::vector<std::string> backups_encrypt_to;         // age recipients for backups
  std::optional<std::string> backups_directory;        // absolute
  std::optional<std::string> backups_passphrase_file;  // absolute; instead of encrypt_to
  // lint.levels: rule code -> "off", "warning" or "error" (codes and names checked on reading;
  // a rule's name is stored as its code).
  std::map<std::string, std::string> lint_levels;
};

// Parses a configuration file's text; throws UsageError naming `path` and the JSON pointer.
Config parse_config(const std::string& text, const std::string& path);

// The configuration for this command: --config FILE (which must exist), else the default file
// when it exists, else an empty one.
Config load_config(const Arguments& args);

}  // namespace migpkg::cli
