#include "cli/lint_options.hpp"

#include "cli/config_file.hpp"
#include "compiler/diagnostics/render.hpp"
#include "compiler/util/word_list.hpp"

namespace migpkg::cli {
namespace {

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

std::vector<const Dialect*> lint_dialects(const Arguments& args) {
  std::vector<std::string> names;
  for (const auto& given : args.all("--dialect"))
    for (const auto& name : split_commas(given)) names.push_back(name);
  if (names.empty()) names = {"postgresql", "mysql", "sqlite"};
  std::vector<const Dialect*> out;
  for (const auto& name : names) {
    const Dialect* dialect = find_dialect(name);
    if (!dialect)
      throw UsageError("unknown dialect '" + name + "'; expected " + or_list(dialect_names()));
    bool seen = false;
    for (const Dialect* d : out) seen = seen || d == dialect;
    if (!seen) out.push_back(dialect);
  }
  return out;
}

lint::Levels lint_levels(const Arguments& args) {
  lint::Levels levels;
  for (const auto& [code, level] : load_config(args).lint_levels)
    levels[code] = *lint::level_from_name(level);
  for (const auto& given : args.all("--level")) {
    std::size_t equals = given.find('=');
    if (equals == std::string::npos)
      throw UsageError("--level takes CODE=LEVEL (L101=off), not '" + given + "'");
    std::string code = given.substr(0, equals), level = given.substr(equals + 1);
    const lint::Rule* rule = lint::find_rule(code);
    if (!rule)
      throw UsageError("--level: unknown lint code '" + code + "' (docs/lint.md lists them)");
    auto parsed = lint::level_from_name(level);
    if (!parsed)
      throw UsageError("--level " + code + ": the level is off, warning or error, not '" + level +
                       "'");
    levels[rule->code] = *parsed;
  }
  return levels;
}

std::vector<lint::Finding> lint_with_options(const ir::Program& program, const Arguments& args) {
  return lint::lint_program(program, lint_dialects(args), lint_levels(args));
}

bool any_lint_error(const std::vector<lint::Finding>& findings) {
  for (const auto& finding : findings)
    if (finding.level == lint::Level::Error) return true;
  return false;
}

nlohmann::ordered_json lint_report_json(const std::vector<lint::Finding>& findings,
                                        const std::vector<const Dialect*>& dialects) {
  nlohmann::ordered_json out;
  out["dialects"] = nlohmann::ordered_json::array();
  for (const Dialect* dialect : dialects) out["dialects"].push_back(dialect->name());
  std::size_t errors = 0, warnings = 0;
  out["findings"] = nlohmann::ordered_json::array();
  for (const auto& f : findings) {
    (f.level == lint::Level::Error ? errors : warnings) += 1;
    nlohmann::ordered_json j;
    j["code"] = f.rule->code;
    j["name"] = f.rule->name;
    j["family"] = f.rule->family;
    j["severity"] = lint::to_string(f.level);
    if (!f.dialect.empty()) j["dialect"] = f.dialect;
    j["plugin"] = f.plugin;
    j["migration"] = f.migration;
    j["step"] = f.step;
    j["direction"] = f.down ? "down" : "up";
    j["location"] = location_to_json(f.location);
    j["message"] = f.message;
    j["hint"] = f.rule->hint;
    out["findings"].push_back(j);
  }
  out["errors"] = errors;
  out["warnings"] = warnings;
  return out;
}

std::string lint_report_text(const std::vector<lint::Finding>& findings) {
  std::string out;
  std::size_t errors = 0, warnings = 0;
  for (const auto& f : findings) {
    (f.level == lint::Level::Error ? errors : warnings) += 1;
    out += render_diagnostic(lint::to_diagnostic(f));
  }
  out += "lint: " + std::to_string(errors) + " error" + (errors == 1 ? "" : "s") + ", " +
         std::to_string(warnings) + " warning" + (warnings == 1 ? "" : "s") + "\n";
  return out;
}

}  // namespace migpkg::cli
