// Flyway: V<version>__<description>.sql versioned migrations and U<version>__<description>.sql
// undo files anywhere below the directory, ordered by version (numerically, part by part; `_`
// and `.` both separate parts). A `<file>.conf` sidecar with executeInTransaction=false makes
// the script non-transactional. Repeatable (R__) migrations and callbacks are refused: migpkg
// has nothing that reruns a script whenever it changes or around every run.
#include <algorithm>
#include <map>
#include <regex>

#include "compiler/convert/peer_files.hpp"
#include "compiler/convert/peer_history.hpp"

namespace migpkg::convert {
namespace {

struct FlywayFile {
  std::string path;  // relative to the directory
  std::vector<std::string> version;
  std::string version_text, description;
};

const char* const kCallbacks[] = {"beforeMigrate",
                                  "beforeEachMigrate",
                                  "beforeEachMigrateStatement",
                                  "afterEachMigrateStatement",
                                  "afterEachMigrateStatementError",
                                  "afterEachMigrate",
                                  "afterEachMigrateError",
                                  "afterMigrate",
                                  "afterMigrateApplied",
                                  "afterVersioned",
                                  "afterMigrateError",
                                  "beforeUndo",
                                  "beforeEachUndo",
                                  "afterEachUndo",
                                  "afterEachUndoError",
                                  "afterUndo",
                                  "afterUndoError",
                                  "beforeClean",
                                  "afterClean",
                                  "afterCleanError",
                                  "beforeInfo",
                                  "afterInfo",
                                  "beforeValidate",
                                  "afterValidate",
                                  "beforeBaseline",
                                  "afterBaseline",
                                  "beforeRepair",
                                  "afterRepair",
                                  "createSchema",
                                  "beforeConnect",
                                  "afterConnect"};

std::string base_name(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::vector<std::string> version_parts(const std::string& text) {
  std::vector<std::string> parts;
  std::string part;
  for (char c : text) {
    if (c == '.' || c == '_') {
      parts.push_back(part);
      part.clear();
    } else {
      part += c;
    }
  }
  parts.push_back(part);
  // 1.0 and 1 are the same version to Flyway: trailing zero parts do not count.
  while (parts.size() > 1 && compare_numbers(parts.back(), "0") == 0) parts.pop_back();
  return parts;
}

bool version_less(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    std::string x = i < a.size() ? a[i] : "0", y = i < b.size() ? b[i] : "0";
    int c = compare_numbers(x, y);
    if (c != 0) return c < 0;
  }
  return false;
}

// executeInTransaction from a `<script>.conf` sidecar (true when there is none).
bool sidecar_transactional(const std::string& dir, const std::string& script) {
  std::string path = join_path(dir, script + ".conf");
  if (!is_regular_file(path)) return true;
  auto lines = split_lines(read_peer_file(path));
  bool transactional = true;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line = trim(lines[i]);
    if (line.empty() || line[0] == '#') continue;
    std::size_t eq = line.find('=');
    std::string key = trim(line.substr(0, eq == std::string::npos ? line.size() : eq));
    std::string value = eq == std::string::npos ? "" : lower(trim(line.substr(eq + 1)));
    std::string at = path + ":" + std::to_string(i + 1) + ": ";
    if (key == "executeInTransaction") {
      if (value != "true" && value != "false")
        throw PeerError(at + "executeInTransaction is `" + value + "`; expected true or false");
      transactional = value == "true";
    } else if (key == "encoding") {
      if (lower(value) != "utf-8" && lower(value) != "utf8")
        throw PeerError(at + "encoding " + value + " is not converted (only UTF-8)");
    } else {
      throw PeerError(at + "the script setting `" + key +
                      "` is not converted (only executeInTransaction and encoding)");
    }
  }
  return transactional;
}

std::optional<std::string> dialect_of_conf(const std::string& path) {
  for (const auto& raw : split_lines(read_peer_file(path))) {
    std::string line = trim(raw);
    if (!starts_with(line, "flyway.url")) continue;
    std::string url = lower(trim(line.substr(line.find('=') + 1)));
    if (starts_with(url, "jdbc:postgresql:")) return "postgresql";
    if (starts_with(url, "jdbc:sqlite:")) return "sqlite";
    if (starts_with(url, "jdbc:mysql:") || starts_with(url, "jdbc:mariadb:")) return "mysql";
  }
  return std::nullopt;
}

PeerScript script(const std::string& dir, const FlywayFile& file) {
  PeerScript s;
  s.file = file.path;
  s.sql = join_lines(split_lines(read_peer_file(join_path(dir, file.path))), 0, std::string::npos);
  s.transactional = sidecar_transactional(dir, file.path);
  if (!s.transactional)
    s.non_transactional_reason = file.path + ".conf: executeInTransaction=false";
  return s;
}

}  // namespace

PeerHistory read_flyway(const std::string& dir) {
  static const std::regex versioned(R"(^([VU])([0-9]+(?:[._][0-9]+)*)__(.*)\.sql$)");
  static const std::regex repeatable(R"(^R__.*\.sql$)");
  PeerHistory history;
  std::vector<FlywayFile> ups, undos;
  for (const auto& path : files_below(dir)) {
    std::string name = base_name(path);
    if (ends_with(name, ".sql.conf")) continue;  // sidecars, read with their script
    if (name == "flyway.conf" || name == "flyway.toml") {
      if (name == "flyway.conf" && !history.configured_dialect)
        history.configured_dialect = dialect_of_conf(join_path(dir, path));
      continue;
    }
    if (!ends_with(name, ".sql")) continue;  // READMEs and other files are not migrations
    std::string where = join_path(dir, path) + ": ";
    std::smatch match;
    if (std::regex_match(name, match, versioned)) {
      FlywayFile file{path, version_parts(match[2]), match[2], match[3]};
      (match[1] == "V" ? ups : undos).push_back(file);
      continue;
    }
    if (std::regex_match(name, repeatable))
      throw PeerError(where +
                      "repeatable migrations (R__) are not converted: migpkg has no step that "
                      "reruns whenever its script changes; make it a versioned migration");
    std::string stem = name.substr(0, name.size() - 4);
    std::string event = stem.substr(0, stem.find("__"));
    for (const char* callback : kCallbacks)
      if (event == callback)
        throw PeerError(where + "Flyway callbacks (" + event +
                        ") are not converted: migpkg runs no script around every run");
    throw PeerError(where +
                    "not a Flyway migration name (V<version>__<description>.sql or "
                    "U<version>__<description>.sql)");
  }
  auto by_version = [](const FlywayFile& a, const FlywayFile& b) {
    return version_less(a.version, b.version);
  };
  std::stable_sort(ups.begin(), ups.end(), by_version);
  for (std::size_t i = 1; i < ups.size(); ++i)
    if (!version_less(ups[i - 1].version, ups[i].version))
      throw PeerError(join_path(dir, ups[i].path) + ": version " + ups[i].version_text +
                      " is also the version of " + join_path(dir, ups[i - 1].path));
  std::map<std::size_t, const FlywayFile*> undo_of;
  for (const auto& undo : undos) {
    auto it = std::find_if(ups.begin(), ups.end(),
                           [&](const FlywayFile& up) { return up.version == undo.version; });
    if (it == ups.end())
      throw PeerError(join_path(dir, undo.path) + ": undoes version " + undo.version_text +
                      ", which no V file has");
    std::size_t index = static_cast<std::size_t>(it - ups.begin());
    if (undo_of.count(index))
      throw PeerError(join_path(dir, undo.path) + ": version " + undo.version_text +
                      " already has the undo file " + join_path(dir, undo_of[index]->path));
    undo_of[index] = &undo;
  }
  for (std::size_t i = 0; i < ups.size(); ++i) {
    PeerMigration m;
    std::string name = base_name(ups[i].path);
    m.key = name.substr(0, name.size() - 4);
    m.title = ups[i].description;
    std::replace(m.title.begin(), m.title.end(), '_', ' ');
    m.up = script(dir, ups[i]);
    if (undo_of.count(i)) m.down = script(dir, *undo_of[i]);
    history.migrations.push_back(std::move(m));
  }
  if (ups.empty()) throw PeerError(dir + ": no Flyway migrations (V<version>__<description>.sql)");
  return history;
}

}  // namespace migpkg::convert
