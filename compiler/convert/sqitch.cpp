// Sqitch: sqitch.plan lists the changes in order (pragmas, changes with their dependencies,
// tags); deploy/<change>.sql and revert/<change>.sql are their up and down scripts; verify/
// scripts are not converted (noted). Sqitch runs a script as written, so a script wrapped in
// BEGIN; ... COMMIT; is one transaction (the wrapper is removed: migpkg opens the
// transaction) and a script without the wrapper becomes a non-transactional step.
#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

#include "compiler/convert/peer_files.hpp"
#include "compiler/convert/peer_history.hpp"

namespace migpkg::convert {
namespace {

bool is_sql_comment_or_blank(const std::string& line) {
  std::string t = trim(line);
  return t.empty() || starts_with(t, "--");
}

// The script without a BEGIN; ... COMMIT; wrapper, and whether it had one.
PeerScript script(const std::string& dir, const std::string& file) {
  static const std::regex begin(R"(^(begin|start\s+transaction|begin\s+(transaction|work))\s*;$)",
                                std::regex::icase);
  static const std::regex commit(R"(^(commit|end|commit\s+(transaction|work))\s*;$)",
                                 std::regex::icase);
  auto lines = split_lines(read_peer_file(join_path(dir, file)));
  std::size_t first = 0, last = lines.size();
  while (first < lines.size() && is_sql_comment_or_blank(lines[first])) ++first;
  while (last > first && is_sql_comment_or_blank(lines[last - 1])) --last;
  PeerScript s;
  s.file = file;
  bool wrapped = last > first + 0 && std::regex_match(trim(lines[first]), begin) &&
                 last - 1 > first && std::regex_match(trim(lines[last - 1]), commit);
  if (wrapped) {
    lines[first].clear();
    lines[last - 1].clear();
  } else if (first < last) {
    s.transactional = false;
    s.non_transactional_reason = file + ": no BEGIN; ... COMMIT; around the script";
  }
  s.sql = join_lines(lines, 0, lines.size());
  return s;
}

std::optional<std::string> dialect_of_conf(const std::string& path) {
  static const std::regex engine(R"(^\s*engine\s*=\s*(\w+)\s*$)");
  for (const auto& line : split_lines(read_peer_file(path))) {
    std::smatch match;
    if (!std::regex_match(line, match, engine)) continue;
    std::string name = match[1];
    if (name == "pg") return "postgresql";
    if (name == "sqlite") return "sqlite";
    if (name == "mysql") return "mysql";
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

PeerHistory read_sqitch(const std::string& dir) {
  static const std::regex change_name(R"(^[A-Za-z0-9_][A-Za-z0-9_.\-]*$)");
  static const std::regex timestamp(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$)");
  std::string plan_path = join_path(dir, "sqitch.plan");
  if (!is_regular_file(plan_path)) throw PeerError(dir + ": no sqitch.plan");
  PeerHistory history;
  if (is_regular_file(join_path(dir, "sqitch.conf")))
    history.configured_dialect = dialect_of_conf(join_path(dir, "sqitch.conf"));
  auto lines = split_lines(read_peer_file(plan_path));
  std::set<std::string> seen, tags;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string at = plan_path + ":" + std::to_string(i + 1) + ": ";
    std::string line = trim(lines[i]);
    if (line.empty() || line[0] == '#' || line[0] == '%') continue;  // comments and pragmas
    std::string note;
    std::size_t hash = line.find(" #");
    if (hash != std::string::npos) {
      note = trim(line.substr(hash + 2));
      line = trim(line.substr(0, hash));
    }
    std::string name = line.substr(0, line.find_first_of(" \t"));
    std::string rest = trim(line.substr(name.size()));
    if (name[0] == '@') {
      tags.insert(name.substr(1));  // tags mark points in the plan; migpkg versions are ordinal
      continue;
    }
    if (!std::regex_match(name, change_name))
      throw PeerError(at + "`" + name + "` is not a Sqitch change name");
    if (seen.count(name))
      throw PeerError(at + "change `" + name +
                      "` is reworked (planned a second time): reworked changes are not converted; "
                      "give the new version its own change name");
    PeerMigration m;
    m.key = name;
    m.title = note.empty() ? name : note;
    if (starts_with(rest, "[")) {
      std::size_t close = rest.find(']');
      if (close == std::string::npos) throw PeerError(at + "`[` without `]`");
      std::istringstream deps(rest.substr(1, close - 1));
      for (std::string dep; deps >> dep;) {
        if (dep[0] == '!') throw PeerError(at + "the conflict `" + dep + "` is not converted");
        if (dep.find(':') != std::string::npos)
          throw PeerError(at + "`" + dep +
                          "` depends on another Sqitch project; cross-project dependencies are "
                          "not converted");
        std::string required = dep.substr(0, dep.find('@'));
        if (!seen.count(required))
          throw PeerError(at + "`" + name + "` requires `" + dep +
                          "`, which no earlier line of the plan adds");
        if (dep.find('@') != std::string::npos && !tags.count(dep.substr(dep.find('@') + 1)))
          throw PeerError(at + "`" + dep + "` names a tag no earlier line of the plan adds");
        m.requires_keys.push_back(required);
      }
      rest = trim(rest.substr(close + 1));
    }
    std::string stamp = rest.substr(0, rest.find_first_of(" \t"));
    if (!std::regex_match(stamp, timestamp))
      throw PeerError(at +
                      "expected the change's planned time (like 2024-01-31T12:00:00Z) after `" +
                      name + "`, found `" + stamp + "`");
    std::string deploy = "deploy/" + name + ".sql", revert = "revert/" + name + ".sql";
    if (!is_regular_file(join_path(dir, deploy)))
      throw PeerError(at + "change `" + name + "` has no deploy script (" + join_path(dir, deploy) +
                      ")");
    m.up = script(dir, deploy);
    if (is_regular_file(join_path(dir, revert))) m.down = script(dir, revert);
    if (is_regular_file(join_path(dir, "verify/" + name + ".sql")))
      history.notes.push_back("verify/" + name +
                              ".sql is not converted (migpkg's check proves "
                              "the revert instead)");
    seen.insert(name);
    history.migrations.push_back(std::move(m));
  }
  if (history.migrations.empty()) throw PeerError(plan_path + ": the plan adds no change");
  return history;
}

}  // namespace migpkg::convert
