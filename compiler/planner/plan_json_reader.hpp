#pragma once
// Reads back what plan_to_json wrote. The runtime stores each applied migration's planned
// steps in its history, so rollback and resume need neither the sources nor the package.
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

#include "compiler/planner/plan.hpp"

namespace migpkg {

class PlanFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

plan::Migration migration_from_text(std::string_view text);  // throws PlanFormatError
// One migration of a plan, compact, as the history stores it; and the same parsed.
std::string migration_json_text(const plan::Migration& migration);
nlohmann::ordered_json migration_to_json(const plan::Migration& migration);

}  // namespace migpkg
