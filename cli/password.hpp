#pragma once
// Passwords for secret keys: from --password-file (first line), else asked on the terminal
// without echo, else a usage error (exit 2): a script must say where the password comes from.
#include <optional>
#include <string>

#include "cli/arguments.hpp"

namespace migpkg::cli {

// The first line of the file, without its line ending; an empty password is refused.
std::string read_password_file(const std::string& path);

// Prompts on the terminal (stdin) with echo off; `confirm` asks twice and compares.
// Throws UsageError when stdin is not a terminal, naming `alternatives`.
std::string prompt_password(const std::string& prompt, bool confirm,
                            const std::string& alternatives);

}  // namespace migpkg::cli
