#pragma once
// The two outward forms of a plan: JSON (schemas/plan.schema.json) and readable SQL.
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/planner/plan.hpp"

namespace migpkg {

inline constexpr const char* kPlanFormat = "migpkg-plan-v1";

// The JSON form as text (indent < 0: compact; packages and `migpkg compile` indent by 2), and
// the same parsed, for callers that edit it.
std::string plan_json_text(const plan::Plan& plan, int indent);
nlohmann::ordered_json plan_to_json(const plan::Plan& plan);

enum class PlanDirection { Up, Down };

// SQL a reviewer can read and `sqlite3`/`psql` can run: each migration in BEGIN/COMMIT (its
// non-transactional steps outside), comments naming migration and step, checks as comments.
// Down emits the migrations' down steps in reverse migration order (a full rollback).
std::string plan_to_sql(const plan::Plan& plan, PlanDirection direction);

}  // namespace migpkg
