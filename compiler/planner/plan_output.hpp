#pragma once
// The two outward forms of a plan: JSON (schemas/plan.schema.json) and readable SQL.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/json/json_writer.hpp"
#include "compiler/planner/plan.hpp"

namespace migpkg {

inline constexpr const char* kPlanFormat = "migpkg-plan-v1";

enum class PlanDirection { Up, Down };

// A plan's JSON text written a migration at a time, as stream_plans hands them over, so that no
// whole plan is held: the header, then add() for each migration in plan order, then finish().
// `expected_migrations` only sizes the text ahead.
class PlanJsonWriter {
 public:
  PlanJsonWriter(std::string_view dialect, std::string_view migpkg_version, int indent,
                 std::size_t expected_migrations);
  void reserve(std::size_t bytes) { out_.reserve_total(bytes); }
  void add(const plan::Migration& m);
  std::string finish();  // the text; the writer is spent

 private:
  JsonWriter out_;
  std::size_t expected_, added_ = 0, largest_ = 0;
};

// The readable SQL (plan_to_sql) written the same way. Down keeps each migration's text apart
// and puts them in reverse order in finish().
class PlanSqlWriter {
 public:
  PlanSqlWriter(std::string_view dialect, std::string_view migpkg_version, PlanDirection direction,
                std::size_t expected_migrations);
  void reserve(std::size_t bytes);
  void add(const plan::Migration& m);
  std::string finish();  // the text; the writer is spent

 private:
  std::string header(std::size_t migrations) const;

  std::string dialect_, migpkg_version_, begin_;
  PlanDirection direction_;
  std::size_t expected_, added_ = 0, largest_ = 0;
  std::string out_;
  std::vector<std::size_t> ends_;  // down: where each migration's text ends in out_
};

// The JSON form as text (indent < 0: compact; packages and `migpkg compile` indent by 2), and
// the same parsed, for callers that edit it.
std::string plan_json_text(const plan::Plan& plan, int indent);
nlohmann::ordered_json plan_to_json(const plan::Plan& plan);

// SQL a reviewer can read and `sqlite3`/`psql` can run: each migration in BEGIN/COMMIT (its
// non-transactional steps outside), comments naming migration and step, checks as comments.
// Down emits the migrations' down steps in reverse migration order (a full rollback).
std::string plan_to_sql(const plan::Plan& plan, PlanDirection direction);

}  // namespace migpkg
