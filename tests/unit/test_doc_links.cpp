// The documentation's cross-references, which no compiler checks and which a split of a long page
// silently breaks: every relative link in the Markdown files resolves to a file and, with an
// anchor, to a heading of that file (GitHub's anchors); every `docs/NAME.md, "Heading"` that a
// source comment, script or schema description cites names a heading of that page.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

namespace fs = std::filesystem;

fs::path root() {
  return fs::path(source_dir());
}

// The lines outside fenced code blocks (those blanked): a heading or link shown as code is an
// example, not a reference. Without `keep_code_spans`, inline code spans are dropped too.
std::string prose(const std::string& markdown, bool keep_code_spans) {
  std::string out;
  std::istringstream lines(markdown);
  bool fenced = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("```", 0) == 0) fenced = !fenced;
    bool in_code = false;
    if (!fenced && line.rfind("```", 0) != 0)
      for (char c : line) {
        if (c == '`')
          in_code = !in_code;
        else if (keep_code_spans || !in_code)
          out += c;
      }
    out += '\n';
  }
  return out;
}

// GitHub's anchor for a heading: lower case, punctuation other than '-' and '_' dropped, spaces
// to '-', a repeated anchor suffixed -1, -2, ... Non-ASCII letters are kept; the symbols the
// documents use (dashes, arrows, ×, ≤) are punctuation to GitHub and dropped.
std::string slug(const std::string& heading) {
  std::string out;
  for (size_t i = 0; i < heading.size();) {
    unsigned char c = static_cast<unsigned char>(heading[i]);
    if (c < 0x80) {
      if (std::isalnum(c) || c == '-' || c == '_')
        out += static_cast<char>(std::tolower(c));
      else if (c == ' ')
        out += '-';
      ++i;
      continue;
    }
    size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    std::string character = heading.substr(i, length);
    unsigned code = c & (0xFF >> (length + 1));
    for (size_t k = 1; k < character.size(); ++k)
      code = (code << 6) | (static_cast<unsigned char>(character[k]) & 0x3F);
    bool symbol = (code >= 0xA0 && code <= 0xBF) || code == 0xD7 || code == 0xF7 ||
                  (code >= 0x2000 && code <= 0x2BFF);
    if (!symbol) out += character;
    i += length;
  }
  return out;
}

struct Headings {
  std::vector<std::string> texts;  // as written, without the backticks of code spans
  std::set<std::string> anchors;
};

Headings headings_of(const fs::path& file) {
  Headings result;
  std::map<std::string, int> seen;
  std::istringstream lines(prose(read_file(file.string()), true));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '#') continue;
    size_t text = line.find_first_not_of('#');
    if (text == std::string::npos || line[text] != ' ') continue;
    std::string heading = line.substr(text + 1);
    result.texts.push_back(heading);
    std::string anchor = slug(heading);
    int count = seen[anchor]++;
    result.anchors.insert(count == 0 ? anchor : anchor + "-" + std::to_string(count));
  }
  return result;
}

const Headings& cached_headings(const fs::path& file) {
  static std::map<std::string, Headings> cache;
  auto key = fs::weakly_canonical(file).string();
  auto found = cache.find(key);
  if (found == cache.end()) found = cache.emplace(key, headings_of(file)).first;
  return found->second;
}

std::vector<fs::path> files_under(const std::string& folder, const std::vector<std::string>& exts) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(root() / folder)) {
    if (!entry.is_regular_file()) continue;
    std::string ext = entry.path().extension().string();
    if (std::find(exts.begin(), exts.end(), ext) != exts.end()) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> markdown_files() {
  std::vector<fs::path> files{root() / "README.md"};
  for (const char* folder : {"docs", "bench", "examples", "packages", "schemas"})
    if (fs::exists(root() / folder))
      for (const auto& file : files_under(folder, {".md"})) files.push_back(file);
  return files;
}

}  // namespace

TEST_CASE("every relative link in the Markdown files names a file and a heading that exist",
          "[docs]") {
  static const std::regex link(R"(\]\(([^()\s]+)\))");
  auto files = markdown_files();
  REQUIRE(files.size() > 20);
  int checked = 0;
  for (const auto& file : files) {
    std::string text = prose(read_file(file.string()), false);
    for (std::sregex_iterator it(text.begin(), text.end(), link), end; it != end; ++it) {
      std::string target = (*it)[1];
      if (target.find("://") != std::string::npos || target.rfind("mailto:", 0) == 0) continue;
      INFO(fs::relative(file, root()).string() << ": link " << target);
      std::string path = target.substr(0, target.find('#'));
      fs::path resolved = path.empty() ? file : file.parent_path() / path;
      CHECK(fs::exists(resolved));
      ++checked;
      if (path.size() == target.size() || !fs::exists(resolved) || resolved.extension() != ".md")
        continue;
      CHECK(cached_headings(resolved).anchors.count(target.substr(target.find('#') + 1)) == 1);
    }
  }
  CHECK(checked > 200);
}

TEST_CASE("every heading a source file cites as docs/NAME.md, \"Heading\" is on that page",
          "[docs]") {
  // Comments continue over lines ("// " or "# " after the break) and schema descriptions escape
  // their quotes; both are joined back into one line of text before matching.
  static const std::regex continuation(R"(\n\s*(//|#)\s*)");
  static const std::regex citation(R"(([a-z0-9-]+\.md),? \\?"([^"\\]{1,80})\\?")");
  std::vector<fs::path> sources;
  for (const char* folder :
       {"compiler", "runtime", "cli", "include", "tests", "scripts", "bench", "schemas", "fuzz"})
    if (fs::exists(root() / folder))
      for (const auto& file : files_under(folder, {".hpp", ".cpp", ".h", ".sh", ".json", ".cmake"}))
        sources.push_back(file);
  REQUIRE(sources.size() > 100);
  int checked = 0;
  for (const auto& file : sources) {
    if (file.filename() == "test_doc_links.cpp") continue;  // its own examples
    std::string text = std::regex_replace(read_file(file.string()), continuation, " ");
    for (std::sregex_iterator it(text.begin(), text.end(), citation), end; it != end; ++it) {
      fs::path page = root() / "docs" / (*it)[1].str();
      std::string cited = (*it)[2];
      INFO(fs::relative(file, root()).string() << " cites " << (*it)[1] << ", \"" << cited << "\"");
      REQUIRE(fs::exists(page));
      const auto& texts = cached_headings(page).texts;
      auto lower = [](std::string s) {
        for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
      };
      CHECK(std::any_of(texts.begin(), texts.end(), [&](const std::string& heading) {
        return lower(heading).find(lower(cited)) != std::string::npos;
      }));
      ++checked;
    }
  }
  CHECK(checked > 30);
}
