// dbmate: <version>_<title>.sql files, each with a `-- migrate:up` section and an optional
// `-- migrate:down` section, ordered by the numeric version (usually YYYYMMDDHHMMSS). A section
// marked `transaction:false` runs outside a transaction. Like dbmate itself, a `db/migrations`
// folder below the directory given is where the files are looked for.
#include <algorithm>
#include <map>
#include <regex>
#include <sstream>

#include "compiler/convert/peer_files.hpp"
#include "compiler/convert/peer_history.hpp"

namespace migpkg::convert {
namespace {

struct Section {
  std::size_t start = 0, end = 0;  // body lines [start, end)
  bool transactional = true;
  std::size_t marker_line = 0;  // 1-based
  bool present = false;
};

// `-- migrate:up transaction:false`: the options after the direction.
bool section_transactional(const std::string& options, const std::string& at) {
  bool transactional = true;
  std::istringstream in(options);
  for (std::string option; in >> option;) {
    if (option == "transaction:false")
      transactional = false;
    else if (option == "transaction:true")
      transactional = true;
    else
      throw PeerError(at + "unknown dbmate option `" + option +
                      "` (only transaction:true and transaction:false)");
  }
  return transactional;
}

}  // namespace

PeerHistory read_dbmate(const std::string& given) {
  static const std::regex file_pattern(R"(^([0-9]+)_(.*)\.sql$)");
  static const std::regex marker(R"(^--\s*migrate:(up|down)\b(.*)$)");
  std::string dir =
      is_dir(join_path(given, "db/migrations")) ? join_path(given, "db/migrations") : given;
  std::map<std::string, std::string> files;  // zero-padded version -> file name
  for (const auto& name : dir_entries(dir)) {
    if (!is_regular_file(join_path(dir, name)) || !ends_with(name, ".sql")) continue;
    std::smatch match;
    if (!std::regex_match(name, match, file_pattern))
      throw PeerError(join_path(dir, name) +
                      ": not a dbmate file name (<version>_<title>.sql, the version in digits)");
    std::string version = match[1];
    std::string number = version.substr(std::min(version.find_first_not_of('0'), version.size()));
    if (number.size() > 20)
      throw PeerError(join_path(dir, name) + ": version " + version + " has more than 20 digits");
    std::string key = std::string(20 - number.size(), '0') + number;
    if (files.count(key))
      throw PeerError(join_path(dir, name) + ": version " + version + " is also the version of " +
                      join_path(dir, files[key]));
    files[key] = name;
  }
  PeerHistory history;
  for (const auto& [key, name] : files) {
    std::string path = join_path(dir, name);
    auto lines = split_lines(read_peer_file(path));
    Section up, down;
    Section* current = nullptr;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::smatch match;
      std::string line = trim(lines[i]);
      if (!std::regex_match(line, match, marker)) {
        if (!current && !line.empty() && !starts_with(line, "--"))
          throw PeerError(path + ":" + std::to_string(i + 1) +
                          ": SQL before `-- migrate:up` (dbmate runs only the sections)");
        continue;
      }
      std::string at = path + ":" + std::to_string(i + 1) + ": ";
      Section& section = match[1] == "up" ? up : down;
      if (section.present)
        throw PeerError(at + "a second `-- migrate:" + match[1].str() + "` (the first is at line " +
                        std::to_string(section.marker_line) + ")");
      if (current) current->end = i;
      section.present = true;
      section.marker_line = i + 1;
      section.start = i + 1;
      section.end = lines.size();
      section.transactional = section_transactional(match[2], at);
      current = &section;
    }
    if (!up.present) throw PeerError(path + ": no `-- migrate:up` section");
    if (down.present && down.marker_line < up.marker_line)
      throw PeerError(path + ":" + std::to_string(down.marker_line) +
                      ": `-- migrate:down` comes before `-- migrate:up`");
    // Named in the capture: clang 14 cannot capture a structured binding (C++20 allows it).
    auto script = [&, &name = name](const Section& s) {
      PeerScript out;
      out.file = name;
      out.sql = join_lines(lines, s.start, s.end);
      out.transactional = s.transactional;
      if (!s.transactional)
        out.non_transactional_reason =
            name + ":" + std::to_string(s.marker_line) + ": transaction:false";
      return out;
    };
    std::smatch match;
    std::regex_match(name, match, file_pattern);
    PeerMigration m;
    m.key = name.substr(0, name.size() - 4);
    m.title = match[2];
    std::replace(m.title.begin(), m.title.end(), '_', ' ');
    m.up = script(up);
    if (down.present) m.down = script(down);
    history.migrations.push_back(std::move(m));
  }
  if (history.migrations.empty())
    throw PeerError(dir + ": no dbmate migrations (<version>_<title>.sql)");
  return history;
}

}  // namespace migpkg::convert
