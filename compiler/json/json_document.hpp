#pragma once
// Reading JSON that a user (or an attacker) wrote: bounded size and nesting, UTF-8 checked,
// duplicate keys refused, and every problem reported as a Diagnostic rather than thrown.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "compiler/diagnostics/diagnostic.hpp"

namespace migpkg {

struct JsonLimits {
  std::size_t max_bytes = 16u << 20;  // a migration source larger than 16 MiB is a mistake
  std::size_t max_depth = 64;         // portable-migration-v1 needs 7 levels
};

// Parses `text` (named `file` in diagnostics). Returns nullopt after adding an error.
std::optional<nlohmann::json> parse_json_text(const std::string& text, const std::string& file,
                                              Diagnostics& diagnostics,
                                              const JsonLimits& limits = {});

// Reads and parses a file, refusing oversized files before reading them.
std::optional<nlohmann::json> read_json_file(const std::string& path, Diagnostics& diagnostics,
                                             const JsonLimits& limits = {});

// Line and column (1-based, columns in bytes) of a byte offset in `text`.
std::pair<int, int> line_column_at(const std::string& text, std::size_t offset);

}  // namespace migpkg
