// The command line as a user meets it: help, version, usage errors (exit 2), hostile JSON
// (exit 1 with a clear message, never a crash), and output files written only on success.
#include <catch2/catch.hpp>

#include <sstream>

#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {
bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string valid_document() {
  return read_file(source_dir() + "/tests/cases/minimal/001-create-table.json");
}
}  // namespace

TEST_CASE("help and version", "[cli]") {
  auto version = run_cli("--version");
  CHECK(version.exit_code == 0);
  CHECK(contains(version.out, "migpkg "));
  auto help = run_cli("--help");
  CHECK(help.exit_code == 0);
  for (const char* command : {"validate", "compile", "check"}) CHECK(contains(help.out, command));
  auto compile_help = run_cli("compile --help");
  CHECK(compile_help.exit_code == 0);
  CHECK(contains(compile_help.out, "--dialect"));
}

TEST_CASE("every command's usage line names every option its help lists", "[cli]") {
  // The command list and each command's options are read from the help texts themselves.
  auto help = run_cli("--help");
  std::istringstream commands(help.out.substr(help.out.find("commands:")));
  std::string line;
  std::getline(commands, line);
  int checked = 0;
  while (std::getline(commands, line) && line.rfind("  ", 0) == 0) {
    std::string command = line.substr(2, line.find(' ', 2) - 2);
    auto command_help = run_cli(command + " --help");
    REQUIRE(command_help.exit_code == 0);
    std::istringstream text(command_help.out);
    std::string usage;
    std::getline(text, usage);
    usage += " ";
    for (std::string option; std::getline(text, option);) {
      if (option.rfind("  -", 0) != 0) continue;
      std::istringstream words(option);
      std::string first, second;
      words >> first;
      if (first.back() == ',') {  // "-o, --output": either name may stand in the usage line
        first.pop_back();
        words >> second;
      }
      auto named = [&](const std::string& name) {
        if (name.empty()) return false;
        for (const char* before : {" ", "["})
          for (const char* after : {" ", "]"})
            if (contains(usage, before + name + after)) return true;
        return false;
      };
      INFO(command << ": " << usage << " lacks " << first);
      CHECK((named(first) || named(second)));
      ++checked;
    }
  }
  CHECK(checked > 20);
}

TEST_CASE("usage errors exit 2 with a reason", "[cli]") {
  struct Case {
    const char* args;
    const char* says;
  };
  for (Case c : {Case{"", "usage"}, Case{"frobnicate", "unknown command"},
                 Case{"compile tests/cases/minimal", "--dialect is required"},
                 Case{"compile tests/cases/minimal --dialect db2", "unknown dialect 'db2'"},
                 Case{"compile tests/cases/minimal --dialect sqlite --format yaml", "--format"},
                 Case{"validate", "missing arguments"},
                 Case{"validate tests/cases/minimal --jsn", "did you mean --json"},
                 Case{"check tests/cases/minimal --db mssql://x",
                      "accepted forms: sqlite:PATH, sqlite::memory:, postgresql://"},
                 Case{"check tests/cases/minimal --db mssql://x", "mysql://"}}) {
    auto result = run_cli(c.args);
    INFO(c.args << " -> " << result.err);
    CHECK(result.exit_code == 2);
    CHECK(contains(result.err, c.says));
  }
}

TEST_CASE("malformed JSON gets a clear error, never a crash", "[cli][hostile]") {
  std::string dir = make_temp_dir();
  std::string doc = valid_document();
  struct Case {
    std::string name, content, says;
  };
  std::string deep(100000, '[');
  std::string invalid_utf8 = doc;
  invalid_utf8.insert(invalid_utf8.find("Create notes"), "\xff\xfe");
  std::vector<Case> cases = {
      {"truncated.json", doc.substr(0, doc.size() / 2), "invalid JSON"},
      {"empty.json", "", "invalid JSON"},
      {"utf8.json", invalid_utf8, "invalid UTF-8"},
      {"deep.json", deep, "nesting deeper than 64 levels"},
      {"deep-object.json",
       [] {
         std::string nested;
         for (int i = 0; i < 5000; ++i) nested += "{\"a\": ";
         return nested;
       }(),
       "nesting deeper"},
      {"not-object.json", "[1, 2, 3]", "expected the document to be an object"},
      {"duplicate-key.json", "{\"format\": \"a\", \"format\": \"b\"}", "duplicate key \"format\""},
      {"nul.json", std::string("{\"format\"\0: 1}", 14), "invalid JSON"},
  };
  for (const auto& c : cases) {
    write_file(dir + "/" + c.name, c.content);
    auto result = run_cli("validate " + dir + "/" + c.name);
    INFO(c.name << ": " << result.err);
    CHECK(result.exit_code == 1);
    CHECK(contains(result.err, c.says));
    CHECK(contains(result.err, dir + "/" + c.name));
  }
}

TEST_CASE("a 50 MB file is refused before it is read", "[cli][hostile]") {
  std::string dir = make_temp_dir();
  std::string path = dir + "/huge.json";
  {
    std::string chunk(1 << 20, ' ');
    std::string content = "{\"format\": \"portable-migration-v1\", \"pad\": \"";
    write_file(path, content);
    FILE* f = std::fopen(path.c_str(), "ab");
    REQUIRE(f);
    for (int i = 0; i < 50; ++i) std::fwrite(chunk.data(), 1, chunk.size(), f);
    std::fputs("\"}", f);
    std::fclose(f);
  }
  auto result = run_cli("validate " + path);
  CHECK(result.exit_code == 1);
  CHECK(contains(result.err, "the limit is 16777216 bytes"));
}

TEST_CASE("compile writes -o only when it succeeds", "[cli]") {
  std::string dir = make_temp_dir();
  std::string out = dir + "/plan.sql";
  auto ok = run_cli("compile tests/cases/minimal --dialect sqlite -o " + out);
  REQUIRE(ok.exit_code == 0);
  CHECK(contains(read_file(out), "CREATE TABLE"));
  CHECK(ok.out.empty());

  std::string failed_out = dir + "/failed.sql";
  auto failed = run_cli("compile tests/errors/empty-sql.json --dialect sqlite -o " + failed_out);
  CHECK(failed.exit_code == 1);
  CHECK_FALSE(path_exists(failed_out));
  CHECK(list_dir(dir).size() == 1);  // no temporary file left behind
}

TEST_CASE("a refused install or rollback does not create a missing SQLite file", "[cli]") {
  std::string dir = make_temp_dir();
  auto install = run_cli("install tests/errors/empty-sql.json --db sqlite:" + dir + "/a.db");
  CHECK(install.exit_code == 1);
  auto rollback = run_cli("rollback acme.crm --db sqlite:" + dir + "/b.db");
  CHECK(rollback.exit_code != 0);
  CHECK(contains(rollback.err, "nothing is installed"));
  auto dry = run_cli("rollback acme.crm --dry-run --db sqlite:" + dir + "/c.db");
  CHECK(dry.exit_code != 0);
  CHECK(list_dir(dir).empty());
  // A good install creates it, as asked.
  auto good = run_cli("install tests/cases/minimal --db sqlite:" + dir + "/d.db");
  CHECK(good.exit_code == 0);
  CHECK(path_exists(dir + "/d.db"));
}

TEST_CASE("compile refuses a dialect a migration does not support", "[cli]") {
  std::string dir = make_temp_dir();
  std::string doc = valid_document();
  auto at = doc.find("\"type\"");
  REQUIRE(at != std::string::npos);
  doc.insert(at, "\"databaseEngines\": [\"sqlite\"],\n    ");
  write_file(dir + "/sqlite-only.json", doc);
  auto result = run_cli("compile " + dir + "/sqlite-only.json --dialect postgresql");
  CHECK(result.exit_code == 1);
  CHECK(contains(result.err, "cannot run on postgresql"));
  CHECK(run_cli("compile " + dir + "/sqlite-only.json --dialect sqlite").exit_code == 0);
}
