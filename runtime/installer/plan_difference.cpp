#include "runtime/installer/plan_difference.hpp"

#include <algorithm>

namespace migpkg::runtime {
namespace {

// A statement on one line and short enough for a message; the whole text is in the plans.
std::string shown(const std::string& sql) {
  constexpr std::size_t kShown = 160;
  std::string out;
  bool space = false;
  for (char ch : sql) {
    bool blank = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
    if (blank) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ch;
  }
  if (out.size() > kShown) out = out.substr(0, kShown) + "...";
  return "`" + out + "`";
}

// The statement as the database reads it: runs of white space outside quotes are one space, and
// none at the ends, after '(' or ',' or before ')' or ',', so re-indented SQL compares equal (a
// quoted literal keeps its spaces).
std::string normalized(const std::string& sql) {
  std::string out;
  char quote = 0;
  bool space = false;
  for (char ch : sql) {
    bool blank = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
    if (!quote && blank) {
      space = !out.empty();
      continue;
    }
    if (space && out.back() != '(' && out.back() != ',' && ch != ')' && ch != ',') out += ' ';
    space = false;
    out += ch;
    if (quote && ch == quote)
      quote = 0;
    else if (!quote && (ch == '\'' || ch == '"' || ch == '`'))
      quote = ch;
  }
  return out;
}

std::string ids(const std::vector<plan::Step>& steps) {
  std::string out;
  for (const auto& s : steps) out += (out.empty() ? "" : ", ") + s.id;
  return "[" + out + "]";
}

// What one step runs, as labelled lines in order.
std::vector<std::pair<std::string, std::string>> runs(const plan::Step& step) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& c : step.pre_checks) out.emplace_back("check", c.sql);
  for (std::size_t i = 0; i < step.statements.size(); ++i)
    out.emplace_back("statement " + std::to_string(i + 1), step.statements[i]);
  if (step.transform) out.emplace_back("transform", step.transform->batched_insert);
  if (step.load) out.emplace_back("load", step.load->file + " sha256 " + step.load->sha256);
  for (const auto& c : step.post_checks) out.emplace_back("check", c.sql);
  if (step.reverse)
    for (std::size_t i = 0; i < step.reverse->size(); ++i)
      out.emplace_back("reverse " + std::to_string(i + 1), (*step.reverse)[i]);
  return out;
}

void compare(const std::string& direction, const std::vector<plan::Step>& stored,
             const std::vector<plan::Step>& sources, std::vector<std::string>& out) {
  if (stored.size() != sources.size()) {
    out.push_back(direction + ": steps stored " + ids(stored) + "; the sources give " +
                  ids(sources));
    return;
  }
  for (std::size_t i = 0; i < stored.size(); ++i) {
    const std::string step = direction + " step " + stored[i].id;
    if (stored[i].id != sources[i].id) {
      out.push_back(direction + ": step " + std::to_string(i + 1) + " is " + stored[i].id +
                    " stored; the sources give " + sources[i].id);
      continue;
    }
    if (stored[i].transactional != sources[i].transactional)
      out.push_back(step + ": " + (sources[i].transactional ? "now" : "no longer") +
                    " runs in a transaction");
    auto before = runs(stored[i]), after = runs(sources[i]);
    for (std::size_t k = 0; k < std::max(before.size(), after.size()); ++k) {
      if (k < before.size() && k < after.size()) {
        if (before[k].first == after[k].first &&
            normalized(before[k].second) == normalized(after[k].second))
          continue;
        out.push_back(step + ", " + before[k].first + ": stored " + shown(before[k].second) +
                      "; the sources give " +
                      (before[k].first == after[k].first
                           ? shown(after[k].second)
                           : after[k].first + " " + shown(after[k].second)));
      } else if (k < before.size()) {
        out.push_back(step + ", " + before[k].first + ": stored " + shown(before[k].second) +
                      "; not in the sources");
      } else {
        out.push_back(step + ", " + after[k].first + ": not stored; the sources give " +
                      shown(after[k].second));
      }
    }
  }
}

}  // namespace

std::vector<std::string> plan_differences(const plan::Migration& stored,
                                          const plan::Migration& sources) {
  std::vector<std::string> out;
  compare("up", stored.up, sources.up, out);
  compare("down", stored.down, sources.down, out);
  return out;
}

}  // namespace migpkg::runtime
