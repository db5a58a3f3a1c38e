// The layout's rules that no compiler checks: which folders a folder may include.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
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
