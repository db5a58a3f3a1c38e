// The layout's rules that no compiler checks: which folders a folder may include.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Every `#include "..."` of the project's own files in `folder` (relative to the source tree),
// as "file: included path".
std::vector<std::pair<std::string, std::string>> project_includes(const std::string& folder) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& entry : fs::directory_iterator(fs::path(MIGPKG_SOURCE_DIR) / folder)) {
    std::ifstream in(entry.path());
    std::string line;
    const std::string prefix = "#include \"";
    while (std::getline(in, line))
      if (line.compare(0, prefix.size(), prefix) == 0)
        out.emplace_back(entry.path().filename().string(),
                         line.substr(prefix.size(), line.find('"', prefix.size()) - prefix.size()));
  }
  return out;
}

}  // namespace

TEST_CASE("the IR is plain data: compiler/ir includes only itself and compiler/util", "[layout]") {
  // Writers and readers of the IR (JSON, DSL) live with their format and include the IR, never
  // the other way round, so the IR can be used without any front end.
  auto includes = project_includes("compiler/ir");
  REQUIRE_FALSE(includes.empty());
  for (const auto& [file, included] : includes) {
    INFO(file << " includes " << included);
    CHECK((included.rfind("compiler/ir/", 0) == 0 || included.rfind("compiler/util/", 0) == 0));
  }
}

namespace {

// Lines of runtime/ and cli/ (outside runtime/engines/<name>/) that compare something with an
// engine's name: "file:line: text".
std::vector<std::string> engine_name_comparisons() {
  // An engine name in quotes, with == or != on either side.
  static const std::string names = "\"(sqlite|postgresql|postgres|mysql|mariadb)\"";
  static const std::regex comparison("(==|!=)\\s*" + names + "|" + names + "\\s*(==|!=)",
                                     std::regex::icase);
  const fs::path root(MIGPKG_SOURCE_DIR);
  const fs::path engines = root / "runtime" / "engines";
  std::vector<std::string> out;
  for (const char* folder : {"runtime", "cli"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / folder)) {
      if (!entry.is_regular_file()) continue;
      const fs::path& path = entry.path();
      if (path.extension() != ".cpp" && path.extension() != ".hpp") continue;
      // An engine's own folder may spell its name: runtime/engines/<name>/...
      if (path.parent_path().parent_path() == engines) continue;
      std::ifstream in(path);
      std::string line;
      for (int number = 1; std::getline(in, line); ++number)
        if (std::regex_search(line, comparison))
          out.push_back(fs::relative(path, root).string() + ":" + std::to_string(number) + ": " +
                        line);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("no engine name is compared outside the engine's folder runtime/engines/<name>/",
          "[layout]") {
  // The runtime asks the Engine (runtime/engines/engine.hpp) for what differs between databases;
  // a comparison with an engine's name elsewhere is a branch the next engine would miss.
  std::string found;
  for (const auto& line : engine_name_comparisons()) found += line + "\n";
  INFO(found);
  CHECK(found.empty());
}
