// golang-migrate: <version>_<title>.up.sql and <version>_<title>.down.sql in one directory,
// ordered by the numeric version (a sequence number or a timestamp). golang-migrate has no
// transaction marker; a script holding a statement PostgreSQL refuses inside a transaction
// (CREATE INDEX CONCURRENTLY, VACUUM, ...) becomes a non-transactional step.
#include <algorithm>
#include <map>
#include <regex>

#include "compiler/convert/peer_files.hpp"
#include "compiler/convert/peer_history.hpp"

namespace migpkg::convert {
namespace {

struct Pair {
  std::string version, title, up_file, down_file;
};

PeerScript script(const std::string& dir, const std::string& file) {
  PeerScript s;
  s.file = file;
  std::string text = read_peer_file(join_path(dir, file));
  s.sql = join_lines(split_lines(text), 0, std::string::npos);
  std::string statement = statement_needing_no_transaction(text);
  if (!statement.empty()) {
    s.transactional = false;
    s.non_transactional_reason = file + ": " + statement;
  }
  return s;
}

}  // namespace

PeerHistory read_golang_migrate(const std::string& dir) {
  static const std::regex pattern(R"(^([0-9]+)_(.*)\.(up|down)\.sql$)");
  std::map<std::string, Pair> by_version;  // keyed by the version without leading zeros
  for (const auto& name : dir_entries(dir)) {
    if (!is_regular_file(join_path(dir, name)) || !ends_with(name, ".sql")) continue;
    std::smatch match;
    if (!std::regex_match(name, match, pattern))
      throw PeerError(join_path(dir, name) +
                      ": not a golang-migrate file name (<version>_<title>.up.sql or "
                      "<version>_<title>.down.sql)");
    std::string version = match[1];
    std::string number = version.substr(std::min(version.find_first_not_of('0'), version.size()));
    if (number.size() > 20)
      throw PeerError(join_path(dir, name) + ": version " + version + " has more than 20 digits");
    Pair& pair = by_version[std::string(20 - number.size(), '0') + number];
    std::string& slot = match[3] == "up" ? pair.up_file : pair.down_file;
    if (!slot.empty() || (!pair.version.empty() && pair.title != match[2].str()))
      throw PeerError(join_path(dir, name) + ": version " + version + " is also the version of " +
                      join_path(dir, slot.empty()
                                         ? (pair.up_file.empty() ? pair.down_file : pair.up_file)
                                         : slot));
    pair.version = version;
    pair.title = match[2];
    slot = name;
  }
  PeerHistory history;
  for (const auto& [key, pair] : by_version) {
    if (pair.up_file.empty())
      throw PeerError(join_path(dir, pair.down_file) + ": a down file without its up file (" +
                      pair.version + "_" + pair.title + ".up.sql)");
    PeerMigration m;
    m.key = pair.version + "_" + pair.title;
    m.title = pair.title;
    std::replace(m.title.begin(), m.title.end(), '_', ' ');
    m.up = script(dir, pair.up_file);
    if (!pair.down_file.empty()) m.down = script(dir, pair.down_file);
    history.migrations.push_back(std::move(m));
  }
  if (history.migrations.empty())
    throw PeerError(dir + ": no golang-migrate migrations (<version>_<title>.up.sql)");
  return history;
}

}  // namespace migpkg::convert
