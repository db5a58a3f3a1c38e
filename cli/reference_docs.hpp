#pragma once
// The reference documents made from the command table (cli/command_table.cpp), the same source
// as `--help`: man pages and shell completion scripts. `migpkg help --man DIR`,
// `--bash-completion` and `--zsh-completion` print them; the build writes them with those
// (CMakeLists.txt) and `cmake --install` installs them, so a new command or option appears in
// them without a second copy of its text.
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace migpkg::cli {

struct ManPage {
  std::string file_name;  // "migpkg.1", "migpkg-install.1"
  std::string text;       // roff (man macros)
};

// migpkg(1), then one page per command, in the table's order.
std::vector<ManPage> man_pages(const std::vector<Command>& commands);

std::string bash_completion(const std::vector<Command>& commands);
std::string zsh_completion(const std::vector<Command>& commands);

// `migpkg help [--man DIR | --bash-completion | --zsh-completion | COMMAND]`, words after
// "help"; returns the exit code.
int run_help(const std::vector<std::string>& words);

}  // namespace migpkg::cli
