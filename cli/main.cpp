// migpkg: the command line. Thin by design: it parses arguments and calls libmigpkg.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/failure.hpp"
#include "cli/output.hpp"
#include "cli/progress_lines.hpp"
#include "cli/reference_docs.hpp"
#include "compiler/util/process_memory.hpp"

namespace {

void print_usage(std::ostream& out) {
  out << "usage: migpkg <command> [options]\n\n"
         "Compile, check and apply declarative database migrations for plugins.\n\ncommands:\n";
  for (const auto& command : migpkg::cli::commands()) {
    std::string name = "  " + command.spec.name;
    name.resize(12, ' ');
    out << name << command.spec.summary << "\n";
  }
  out << "\nRun 'migpkg <command> --help' for a command's options. Exit codes: 0 ok, 1 failed,\n"
         "2 usage error, 3 signature or trust failure, 4 database locked, 5 drift.\n";
}

// Where a failure's message goes: stderr, after the progress lines given before the failure.
std::ostream& failure_output() {
  migpkg::cli::ProgressLines::instance().flush();
  return std::cerr;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace migpkg::cli;
  migpkg::keep_freed_memory_for_reuse();
  migpkg::release_results_at_exit();  // a command ends when its work is done
  std::vector<std::string> words(argv + 1, argv + argc);
  if (words.empty()) {
    print_usage(std::cerr);
    return kUsage;
  }
  const std::string& name = words[0];
  if (name == "help" && words.size() > 1)
    return run_help(std::vector<std::string>(words.begin() + 1, words.end()));
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return kOk;
  }
  if (name == "--version" || name == "version") {
    std::cout << "migpkg " << MIGPKG_VERSION << "\n";
    return kOk;
  }
  for (const auto& command : commands()) {
    if (command.spec.name != name) continue;
    std::vector<std::string> rest(words.begin() + 1, words.end());
    for (const auto& word : rest)
      if (word == "--help" || word == "-h") {
        std::cout << command_help(command.spec);
        return kOk;
      }
    try {
      return command.run(Arguments::parse(command.spec, rest));
    } catch (...) {
      Failure failure = describe_failure(std::current_exception());
      failure_output() << "migpkg " << name << ": " << failure.message << "\n";
      return failure.exit_code;
    }
  }
  std::cerr << "migpkg: unknown command '" << name << "'\n\n";
  print_usage(std::cerr);
  return kUsage;
}
