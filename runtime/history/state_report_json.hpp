#pragma once
// The --json reports of `status` and `history` (schemas/status.schema.json,
// history.schema.json), built once for the command line, the HTTP API (serve/) and the public
// API (api/).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runtime/history/bookkeeping.hpp"
#include "runtime/installer/preflight.hpp"

namespace migpkg::runtime {

// `database`: the URL as given; its password is redacted here.
nlohmann::ordered_json status_json(const std::string& database, const std::string& engine,
                                   const InstalledState& state);
nlohmann::ordered_json history_json(const std::vector<HistoryRow>& rows);

}  // namespace migpkg::runtime
