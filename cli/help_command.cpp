#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/output.hpp"
#include "cli/reference_docs.hpp"

namespace migpkg::cli {
namespace {

int write_man_pages(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  for (const auto& page : man_pages(commands())) {
    std::string path = dir + "/" + page.file_name;
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << page.text;
    file.close();
    if (!file) {
      std::cerr << "migpkg help: cannot write " << path << "\n";
      return kFailed;
    }
  }
  return kOk;
}

int usage_error(const std::string& message) {
  std::cerr << "migpkg help: " << message
            << "\nusage: migpkg help [COMMAND | --man DIR | --bash-completion | "
               "--zsh-completion]\n";
  return kUsage;
}

}  // namespace

int run_help(const std::vector<std::string>& words) {
  const std::string& word = words.at(0);
  if (word == "--man") {
    if (words.size() != 2) return usage_error("--man needs one directory");
    return write_man_pages(words[1]);
  }
  if (words.size() != 1) return usage_error("too many arguments");
  if (word == "--bash-completion") {
    std::cout << bash_completion(commands());
    return kOk;
  }
  if (word == "--zsh-completion") {
    std::cout << zsh_completion(commands());
    return kOk;
  }
  for (const auto& command : commands())
    if (command.spec.name == word) {
      std::cout << command_help(command.spec);
      return kOk;
    }
  return usage_error("unknown command '" + word + "'");
}

}  // namespace migpkg::cli
