#include "cli/password.hpp"

#include <termios.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <stdexcept>

namespace migpkg::cli {

std::string read_password_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read password file " + path);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty())
    throw std::runtime_error("password file " + path +
                             " is empty (its first line is the password)");
  return line;
}

namespace {

std::string read_hidden_line(const std::string& prompt) {
  std::cerr << prompt << std::flush;
  termios old_settings{};
  bool restored = tcgetattr(STDIN_FILENO, &old_settings) == 0;
  if (restored) {
    termios quiet = old_settings;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (restored) tcsetattr(STDIN_FILENO, TCSANOW, &old_settings);
  std::cerr << "\n";
  return line;
}

}  // namespace

std::string prompt_password(const std::string& prompt, bool confirm,
                            const std::string& alternatives) {
  if (isatty(STDIN_FILENO) != 1)
    throw UsageError("no terminal to ask for a password on; " + alternatives);
  std::string password = read_hidden_line(prompt);
  if (password.empty()) throw std::runtime_error("empty password; " + alternatives);
  if (confirm && read_hidden_line("Password (again): ") != password)
    throw std::runtime_error("the passwords do not match");
  return password;
}

}  // namespace migpkg::cli
