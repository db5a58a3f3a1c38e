// The man pages and shell completion that `migpkg help` generates from the command table
// (cli/reference_docs.hpp), as a user meets them: every option `--help` prints is on the
// command's page as `man` renders it (with no groff warning) and is what bash completes, the
// zsh script parses, and `cmake --install` puts them where man, bash-completion and zsh look.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <sstream>

#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

std::vector<std::string> command_names() {
  CommandResult usage = run_cli("--help");
  REQUIRE(usage.exit_code == 0);
  std::vector<std::string> names;
  std::istringstream lines(usage.out.substr(usage.out.find("commands:\n") + 10));
  for (std::string line; std::getline(lines, line) && line.rfind("  ", 0) == 0;)
    names.push_back(line.substr(2, line.find(' ', 2) - 2));
  REQUIRE(names.size() > 20);
  return names;
}

// The option names (long and short) a command's --help lists, in its order.
std::vector<std::string> help_options(const std::string& command) {
  CommandResult help = run_cli(command + " --help");
  REQUIRE(help.exit_code == 0);
  std::vector<std::string> options;
  std::istringstream lines(help.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("  -", 0) != 0) continue;
    std::istringstream words(line);
    for (std::string word; words >> word && word[0] == '-';) {
      if (word.back() == ',') word.pop_back();
      options.push_back(word);
    }
  }
  return options;
}

struct Rendered {
  std::string text;
  std::string warnings;
};

Rendered render(const std::string& page) {
  std::string dir = make_temp_dir();
  int code = shell("MANWIDTH=80 man --warnings -l " + shell_quoted(page) + " >" + dir + "/out 2>" +
                   dir + "/err");
  REQUIRE(code == 0);
  return {read_file(dir + "/out"), read_file(dir + "/err")};
}

// What bash's completion offers for `migpkg WORDS...`, the last word being completed.
std::vector<std::string> bash_complete(const std::string& script, const std::string& words) {
  std::string command =
      "bash -c " + shell_quoted("source " + shell_quoted(script) + " && COMP_WORDS=(migpkg " +
                                words + ") && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && " +
                                "_migpkg && printf '%s\\n' \"${COMPREPLY[@]}\"");
  std::string out = capture(command);
  REQUIRE(out != "<failed>");
  std::vector<std::string> offered;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) offered.push_back(line);
  std::sort(offered.begin(), offered.end());
  return offered;
}

std::string bash_script() {
  std::string path = make_temp_dir() + "/migpkg";
  CommandResult script = run_cli("help --bash-completion");
  REQUIRE(script.exit_code == 0);
  write_file(path, script.out);
  return path;
}

}  // namespace

TEST_CASE("every command's man page renders without warnings and has every option --help lists",
          "[docs]") {
  std::string dir = make_temp_dir();
  REQUIRE(run_cli("help --man " + shell_quoted(dir)).exit_code == 0);
  auto names = command_names();
  std::vector<std::string> expected{"migpkg.1"};
  for (const auto& name : names) expected.push_back("migpkg-" + name + ".1");
  std::vector<std::string> written = list_dir(dir);
  std::sort(expected.begin(), expected.end());
  CHECK(written == expected);

  Rendered overview = render(dir + "/migpkg.1");
  CHECK(overview.warnings == "");
  for (const auto& name : names)
    CHECK(overview.text.find("migpkg-" + name + "(1)") != std::string::npos);

  for (const auto& name : names) {
    INFO("migpkg-" << name << ".1");
    Rendered page = render(dir + "/migpkg-" + name + ".1");
    CHECK(page.warnings == "");
    CHECK(page.text.find("migpkg-" + name + " - ") != std::string::npos);
    for (const auto& option : help_options(name)) {
      INFO(option);
      // An option starts a term line of the OPTIONS section: "       --db URL".
      CHECK((page.text.find("\n       " + option + " ") != std::string::npos ||
             page.text.find("\n       " + option + ",") != std::string::npos ||
             page.text.find("\n       " + option + "\n") != std::string::npos ||
             page.text.find(", " + option) != std::string::npos));
    }
  }
}

TEST_CASE("bash completes the command names, and exactly the options --help lists", "[docs]") {
  std::string script = bash_script();
  CHECK(bash_complete(script, "ins") == std::vector<std::string>{"inspect", "install"});
  CHECK(bash_complete(script, "rollb") == std::vector<std::string>{"rollback"});
  CHECK(bash_complete(script, "install --d") == std::vector<std::string>{"--db", "--dry-run"});
  CHECK(bash_complete(script, "compile --dialect postgresql -") ==
        bash_complete(script, "compile -"));
  CHECK(bash_complete(script, "token a") == std::vector<std::string>{"add"});
  CHECK(bash_complete(script, "index ''") == std::vector<std::string>{"build"});

  auto names = command_names();
  std::vector<std::string> all = bash_complete(script, "''");
  for (const auto& name : names) CHECK(std::count(all.begin(), all.end(), name) == 1);

  for (const auto& name : names) {
    INFO(name);
    auto options = help_options(name);
    options.insert(options.end(), {"--help", "-h"});
    std::sort(options.begin(), options.end());
    options.erase(std::unique(options.begin(), options.end()), options.end());
    CHECK(bash_complete(script, name + " -") == options);
  }
}

TEST_CASE("an option's value completes as a file name, not as an option", "[docs]") {
  std::string dir = make_temp_dir();
  write_file(dir + "/plugin-keys.pub", "");
  std::string script = bash_script();
  CHECK(bash_complete(script, "verify --trust " + shell_quoted(dir + "/plugin-k")) ==
        std::vector<std::string>{dir + "/plugin-keys.pub"});
}

TEST_CASE("the zsh completion parses and lists every option --help lists", "[docs]") {
  CommandResult script = run_cli("help --zsh-completion");
  REQUIRE(script.exit_code == 0);
  std::string path = make_temp_dir() + "/_migpkg";
  write_file(path, script.out);
  CHECK(shell("zsh -n " + shell_quoted(path)) == 0);
  for (const auto& name : command_names()) {
    INFO(name);
    std::size_t begin = script.out.find("\n    " + name + ")\n");
    REQUIRE(begin != std::string::npos);
    std::string branch = script.out.substr(begin, script.out.find(";;", begin) - begin);
    for (const auto& option : help_options(name)) {
      INFO(option);
      CHECK((branch.find("'" + option + "[") != std::string::npos ||
             branch.find("*" + option + "[") != std::string::npos ||
             branch.find(option + ",") != std::string::npos ||
             branch.find("," + option + "}") != std::string::npos));
    }
  }
}

TEST_CASE("migpkg help refuses what it does not know", "[docs]") {
  CHECK(run_cli("help nosuchcommand").exit_code == 2);
  CHECK(run_cli("help --man").exit_code == 2);
  CommandResult help = run_cli("help install");
  CHECK(help.exit_code == 0);
  CHECK(help.out == run_cli("install --help").out);
}

TEST_CASE("cmake --install puts the man pages, completions, schemas and grammar in place",
          "[docs]") {
  std::string prefix = make_temp_dir();
  REQUIRE(shell("cmake --install " + shell_quoted(MIGPKG_BUILD_DIR) + " --prefix " +
                shell_quoted(prefix) + " >/dev/null") == 0);
  for (const char* file :
       {"share/man/man1/migpkg.1", "share/man/man1/migpkg-install.1",
        "share/bash-completion/completions/migpkg", "share/zsh/vendor-completions/_migpkg",
        "share/migpkg/schemas/portable-migration-v1.schema.json",
        "share/migpkg/editors/textmate/migpkg.tmLanguage.json",
        "share/migpkg/editors/vscode/package.json",
        "share/migpkg/editors/vscode/syntaxes/migpkg.tmLanguage.json"}) {
    INFO(file);
    CHECK(path_exists(prefix + "/" + file));
  }
  CHECK(read_file(prefix + "/share/bash-completion/completions/migpkg") ==
        run_cli("help --bash-completion").out);
}
