#pragma once
// The --json report of `migpkg repair` (schemas/repair-report.schema.json).
#include <nlohmann/json.hpp>
#include <string>

#include "runtime/installer/repair.hpp"

namespace migpkg::runtime {

// `database`: the URL as given; its password is redacted here.
nlohmann::ordered_json repair_report_json(const RepairReport& report, RepairRequest::Action action,
                                          const std::string& database);

}  // namespace migpkg::runtime
