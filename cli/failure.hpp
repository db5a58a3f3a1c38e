#pragma once
// What a command's failure is, from the exception that ended it: the exit code, a short code
// naming the kind, and the message the CLI prints after "migpkg COMMAND: ". The CLI's main and
// the HTTP server's problem responses (serve/problem.hpp) both take them from here, so a failure
// reads the same on a terminal and in an API response.
#include <exception>
#include <string>

namespace migpkg::cli {

struct Failure {
  int exit_code = 1;  // ExitCode (cli/output.hpp)
  std::string code;   // "usage", "refused", "unreadable", "locked", "failed"
  std::string message;
};

Failure describe_failure(std::exception_ptr error);

}  // namespace migpkg::cli
