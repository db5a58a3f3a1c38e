// Liquibase: formatted SQL changelogs (`--liquibase formatted sql`, `--changeset author:id`,
// `--rollback` lines and `/* liquibase rollback */` blocks, `--comment`), on their own or
// included in order by a master changelog in XML or YAML (`include file=` and `includeAll
// path=`). Every other change type of a master changelog is refused by name: migpkg converts
// SQL, not Liquibase's change types. `runInTransaction:false` makes a non-transactional step.
#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

#include "compiler/convert/peer_files.hpp"
#include "compiler/convert/peer_history.hpp"

namespace migpkg::convert {
namespace {

constexpr int kMaxIncludeDepth = 8;

struct Reader {
  std::string root;  // the directory paths are relative to
  PeerHistory history;
  std::set<std::string> keys, files;

  void changelog(const std::string& relative, int depth);
  void formatted_sql(const std::string& relative);
  void xml(const std::string& relative, int depth);
  void yaml(const std::string& relative, int depth);
  void include(const std::string& from, int line, std::string file, bool relative_to_changelog,
               int depth);
  void include_all(const std::string& from, int line, std::string path, bool relative_to_changelog,
                   int depth);
};

std::string directory_of(const std::string& relative) {
  std::size_t slash = relative.rfind('/');
  return slash == std::string::npos ? "" : relative.substr(0, slash);
}

// `a/./b/../c` -> `a/c`; "" when the path leaves the root or is absolute.
std::string normalized(const std::string& path) {
  if (path.empty() || path[0] == '/') return "";
  std::vector<std::string> parts;
  std::istringstream in(path);
  for (std::string part; std::getline(in, part, '/');) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts.empty()) return "";
      parts.pop_back();
    } else {
      parts.push_back(part);
    }
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

void Reader::changelog(const std::string& relative, int depth) {
  if (depth > kMaxIncludeDepth)
    throw PeerError(join_path(root, relative) + ": changelogs include each other more than " +
                    std::to_string(kMaxIncludeDepth) + " deep");
  if (ends_with(relative, ".sql"))
    formatted_sql(relative);
  else if (ends_with(relative, ".xml"))
    xml(relative, depth);
  else if (ends_with(relative, ".yaml") || ends_with(relative, ".yml"))
    yaml(relative, depth);
  else
    throw PeerError(join_path(root, relative) +
                    ": not a changelog migpkg converts (formatted SQL, or an XML or YAML master "
                    "changelog that includes formatted SQL)");
}

void Reader::include(const std::string& from, int line, std::string file,
                     bool relative_to_changelog, int depth) {
  std::string at = join_path(root, from) + ":" + std::to_string(line) + ": ";
  std::string path = normalized(relative_to_changelog ? join_path(directory_of(from), file) : file);
  if (path.empty()) throw PeerError(at + "the included file `" + file + "` is outside " + root);
  if (!is_regular_file(join_path(root, path)))
    throw PeerError(at + "the included file `" + file + "` does not exist");
  if (is_symbolic_link(join_path(root, path)))
    throw PeerError(at + "the included file `" + file +
                    "` is a symbolic link (it could name a file outside " + root + ")");
  if (files.count(path)) throw PeerError(at + "`" + file + "` is included a second time");
  files.insert(path);
  changelog(path, depth + 1);
}

void Reader::include_all(const std::string& from, int line, std::string path,
                         bool relative_to_changelog, int depth) {
  std::string at = join_path(root, from) + ":" + std::to_string(line) + ": ";
  std::string dir = normalized(relative_to_changelog ? join_path(directory_of(from), path) : path);
  if (dir.empty()) throw PeerError(at + "the included folder `" + path + "` is outside " + root);
  if (!is_dir(join_path(root, dir)))
    throw PeerError(at + "the included folder `" + path + "` does not exist");
  // Liquibase includes a folder's files in alphabetical order of their paths.
  for (const auto& file : files_below(join_path(root, dir)))
    if (ends_with(file, ".sql") || ends_with(file, ".xml") || ends_with(file, ".yaml") ||
        ends_with(file, ".yml"))
      include(from, line, dir + "/" + file, false, depth);
}

std::string attribute(const std::string& tag, const std::string& name) {
  std::regex pattern("\\s" + name + R"re(\s*=\s*("([^"]*)"|'([^']*)'))re");
  std::smatch match;
  if (!std::regex_search(tag, match, pattern)) return "";
  return match[2].matched ? match[2].str() : match[3].str();
}

void Reader::xml(const std::string& relative, int depth) {
  std::string text = read_peer_file(join_path(root, relative));
  std::size_t at = 0;
  bool in_root = false;
  auto line_of = [&](std::size_t offset) {
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
  };
  while ((at = text.find('<', at)) != std::string::npos) {
    std::string where = join_path(root, relative) + ":" + std::to_string(line_of(at)) + ": ";
    if (text.compare(at, 4, "<!--") == 0) {
      std::size_t end = text.find("-->", at);
      if (end == std::string::npos) throw PeerError(where + "unterminated comment");
      at = end + 3;
      continue;
    }
    std::size_t end = text.find('>', at);
    if (end == std::string::npos) throw PeerError(where + "unterminated tag");
    std::string tag = text.substr(at, end + 1 - at);
    int line = line_of(at);
    at = end + 1;
    if (starts_with(tag, "<?")) continue;
    if (starts_with(tag, "<!"))
      throw PeerError(where + "DOCTYPE and entity declarations are refused");
    if (starts_with(tag, "</")) {
      if (trim(tag.substr(2, tag.size() - 3)) == "databaseChangeLog") in_root = false;
      continue;  // also </include> of an include written as an element with content
    }
    std::string name = tag.substr(1, tag.find_first_of(" \t\r\n/>", 1) - 1);
    if (name == "databaseChangeLog") {
      in_root = true;
      continue;
    }
    if (!in_root) throw PeerError(where + "<" + name + "> outside <databaseChangeLog>");
    bool relative_to = attribute(tag, "relativeToChangelogFile") == "true";
    if (name == "include") {
      std::string file = attribute(tag, "file");
      if (file.empty()) throw PeerError(where + "<include> without a file attribute");
      include(relative, line, file, relative_to, depth);
    } else if (name == "includeAll") {
      std::string path = attribute(tag, "path");
      if (path.empty()) throw PeerError(where + "<includeAll> without a path attribute");
      include_all(relative, line, path, relative_to, depth);
    } else {
      throw PeerError(where + "the Liquibase change <" + name +
                      "> is not converted: only <include> and <includeAll> of formatted SQL "
                      "changelogs are; write the change as a formatted SQL changeset");
    }
  }
}

// The YAML master changelog shapes Liquibase documents: a `databaseChangeLog:` list of
// `- include:` / `- includeAll:` maps with `file:` / `path:` and `relativeToChangelogFile:`.
void Reader::yaml(const std::string& relative, int depth) {
  static const std::regex item(R"(^\s*-\s*(\w+)\s*:\s*(.*)$)");
  static const std::regex member(R"(^\s+(\w+)\s*:\s*(.*?)\s*$)");
  auto lines = split_lines(read_peer_file(join_path(root, relative)));
  struct Entry {
    std::string kind, file, path;
    bool relative_to = false;
    int line = 0;
  };
  std::vector<Entry> entries;
  bool seen_root = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string where = join_path(root, relative) + ":" + std::to_string(i + 1) + ": ";
    std::string line = lines[i];
    std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t == "---") continue;
    std::smatch match;
    if (t == "databaseChangeLog:") {
      seen_root = true;
    } else if (!seen_root) {
      throw PeerError(where + "expected `databaseChangeLog:`");
    } else if (std::regex_match(line, match, item)) {
      std::string kind = match[1];
      if (kind != "include" && kind != "includeAll")
        throw PeerError(where + "the Liquibase change `" + kind +
                        "` is not converted: only include and includeAll of formatted SQL "
                        "changelogs are; write the change as a formatted SQL changeset");
      if (!trim(match[2]).empty())
        throw PeerError(where + "write `" + kind + ":` with its members on the lines below");
      entries.push_back({kind, "", "", false, static_cast<int>(i + 1)});
    } else if (std::regex_match(line, match, member) && !entries.empty()) {
      std::string key = match[1], value = match[2];
      if (value.size() >= 2 && (value[0] == '"' || value[0] == '\'') && value.back() == value[0])
        value = value.substr(1, value.size() - 2);
      if (key == "file")
        entries.back().file = value;
      else if (key == "path")
        entries.back().path = value;
      else if (key == "relativeToChangelogFile")
        entries.back().relative_to = value == "true";
      else
        throw PeerError(where + "`" + key + "` of " + entries.back().kind + " is not converted");
    } else {
      throw PeerError(where + "not a line of a master changelog migpkg converts");
    }
  }
  for (const auto& e : entries) {
    if (e.kind == "include") {
      if (e.file.empty())
        throw PeerError(join_path(root, relative) + ":" + std::to_string(e.line) +
                        ": include without file");
      include(relative, e.line, e.file, e.relative_to, depth);
    } else {
      if (e.path.empty())
        throw PeerError(join_path(root, relative) + ":" + std::to_string(e.line) +
                        ": includeAll without path");
      include_all(relative, e.line, e.path, e.relative_to, depth);
    }
  }
}

void Reader::formatted_sql(const std::string& relative) {
  static const std::regex header(R"(^--\s*liquibase\s+formatted\s+sql\s*$)", std::regex::icase);
  static const std::regex changeset(R"(^--\s*changeset\s+(\S+)(.*)$)");
  static const std::regex rollback(R"(^--\s*rollback\b\s?(.*)$)");
  static const std::regex comment(R"(^--\s*comment\s*:?\s*(.*)$)");
  static const std::regex directive(
      R"(^--\s*(precondition[\w-]*|validCheckSum|include\w*|property|ignoreLines)\b.*$)");
  std::string path = join_path(root, relative);
  auto lines = split_lines(read_peer_file(path));
  std::size_t first = 0;
  while (first < lines.size() && trim(lines[first]).empty()) ++first;
  if (first == lines.size() || !std::regex_match(trim(lines[first]), header))
    throw PeerError(path + ":" + std::to_string(first + 1) +
                    ": a formatted SQL changelog starts with `--liquibase formatted sql`");
  PeerMigration* current = nullptr;
  std::vector<std::string> body, undo;
  bool has_rollback = false, in_block = false;
  int block_line = 0;
  auto finish = [&]() {
    if (!current) return;
    current->up.sql = join_lines(body, 0, body.size());
    if (has_rollback) {
      std::string down = join_lines(undo, 0, undo.size());
      std::string word = lower(trim(down));
      if (word == "empty" || word == "not required") down.clear();  // a deliberate no-op
      current->down = PeerScript{down, relative, true, ""};
    }
    body.clear();
    undo.clear();
    has_rollback = false;
  };
  for (std::size_t i = first + 1; i < lines.size(); ++i) {
    std::string at = path + ":" + std::to_string(i + 1) + ": ";
    std::string t = trim(lines[i]);
    std::smatch match;
    if (in_block) {
      std::size_t close = t.find("*/");
      if (close != std::string::npos) {
        if (!trim(t.substr(0, close)).empty()) undo.push_back(t.substr(0, close));
        in_block = false;
      } else {
        undo.push_back(lines[i]);
      }
      continue;
    }
    if (std::regex_match(t, match, changeset)) {
      finish();
      std::string id = match[1];
      std::size_t colon = id.find(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 == id.size())
        throw PeerError(at + "`" + id + "`: a changeset is named author:id");
      if (keys.count(id)) throw PeerError(at + "changeset " + id + " is defined twice");
      keys.insert(id);
      history.migrations.emplace_back();
      current = &history.migrations.back();
      current->key = id;
      current->title = "changeset " + id;
      current->up.file = relative;
      std::istringstream options(match[2]);
      for (std::string option; options >> option;) {
        std::size_t sep = option.find(':');
        std::string key = option.substr(0, sep);
        std::string value = sep == std::string::npos ? "" : lower(option.substr(sep + 1));
        if (key == "runInTransaction") {
          if (value != "true" && value != "false")
            throw PeerError(at + "runInTransaction:" + value + "; expected true or false");
          current->up.transactional = value == "true";
          if (!current->up.transactional)
            current->up.non_transactional_reason =
                relative + ":" + std::to_string(i + 1) + ": runInTransaction:false";
        } else if ((key == "runOnChange" || key == "runAlways") && value == "false") {
          continue;
        } else if (key == "runOnChange" || key == "runAlways") {
          throw PeerError(at + key + ":true is not converted: migpkg has no step that reruns");
        } else if (key == "splitStatements" || key == "stripComments" ||
                   (key == "endDelimiter" && (value == ";" || value.empty()))) {
          continue;  // migpkg splits at top-level semicolons itself
        } else {
          throw PeerError(at + "the changeset attribute `" + key +
                          "` is not converted (runInTransaction, splitStatements and "
                          "stripComments are)");
        }
      }
      continue;
    }
    if (std::regex_match(t, match, rollback)) {
      if (!current) throw PeerError(at + "--rollback before the first --changeset");
      has_rollback = true;
      undo.push_back(match[1]);
      continue;
    }
    if (starts_with(lower(t), "/* liquibase rollback")) {
      if (!current) throw PeerError(at + "a rollback block before the first --changeset");
      has_rollback = true;
      std::string after = t.substr(std::string("/* liquibase rollback").size());
      std::size_t close = after.find("*/");
      if (close != std::string::npos) {
        if (!trim(after.substr(0, close)).empty()) undo.push_back(after.substr(0, close));
      } else {
        if (!trim(after).empty()) undo.push_back(after);
        in_block = true;
        block_line = static_cast<int>(i + 1);
      }
      continue;
    }
    if (std::regex_match(t, match, comment)) {
      if (current && !trim(match[1]).empty()) current->title = trim(match[1]);
      continue;
    }
    if (std::regex_match(t, match, directive))
      throw PeerError(at + "`--" + match[1].str() + "` is not converted");
    if (!current) {
      if (t.empty() || starts_with(t, "--")) continue;
      throw PeerError(at + "SQL before the first --changeset");
    }
    if (has_rollback && !t.empty() && !starts_with(t, "--"))
      throw PeerError(at +
                      "SQL after the changeset's --rollback lines (write the changeset's SQL "
                      "before its rollback)");
    body.push_back(lines[i]);
  }
  if (in_block)
    throw PeerError(path + ":" + std::to_string(block_line) + ": unterminated rollback block");
  finish();
}

}  // namespace

PeerHistory read_liquibase(const std::string& given) {
  Reader reader;
  std::string master;
  if (is_regular_file(given)) {
    std::size_t slash = given.rfind('/');
    reader.root = slash == std::string::npos ? "." : given.substr(0, slash);
    master = slash == std::string::npos ? given : given.substr(slash + 1);
  } else {
    reader.root = given;
    for (const char* name :
         {"db.changelog-master.xml", "db.changelog-master.yaml", "db.changelog-master.yml",
          "changelog.xml", "changelog.yaml", "changelog.yml", "changelog.sql"})
      if (is_regular_file(join_path(given, name))) {
        master = name;
        break;
      }
    if (master.empty())
      throw PeerError(given +
                      ": no master changelog (db.changelog-master.xml, .yaml or .yml, "
                      "changelog.xml, .yaml, .yml or .sql); or name the changelog file itself");
  }
  reader.files.insert(master);
  reader.changelog(master, 0);
  if (reader.history.migrations.empty())
    throw PeerError(join_path(reader.root, master) + ": no changeset");
  return reader.history;
}

}  // namespace migpkg::convert
