// migpkg-serve: the executable `migpkg serve` runs (cli/command_serve.cpp). It parses `serve`'s
// options from the same command table as migpkg and reports failures the same way.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/failure.hpp"
#include "cli/output.hpp"
#include "serve/server.hpp"

int main(int argc, char** argv) {
  using namespace migpkg::cli;
  std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty() || words[0] != "serve") {
    std::cerr << "migpkg-serve: run it as `migpkg serve` (see migpkg serve --help)\n";
    return kUsage;
  }
  for (const auto& command : commands()) {
    if (command.spec.name != "serve") continue;
    try {
      std::vector<std::string> rest(words.begin() + 1, words.end());
      return migpkg::serve::run_server(
          migpkg::serve::serve_options(Arguments::parse(command.spec, rest)));
    } catch (...) {
      Failure failure = describe_failure(std::current_exception());
      std::cerr << "migpkg serve: " << failure.message << "\n";
      return failure.exit_code;
    }
  }
  return kUsage;
}
