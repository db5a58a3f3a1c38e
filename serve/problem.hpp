#pragma once
// Errors as RFC 9457 problem details (application/problem+json): type, title, status, detail,
// and `code`, the CLI's name for the failure (cli/failure.hpp), with the message the CLI prints.
#include <exception>
#include <string>

namespace httplib {
struct Response;
}

namespace migpkg::serve {

struct Problem {
  int status = 500;
  std::string code;    // "usage", "refused", "locked", "unauthorized", ...
  std::string detail;  // the message, as the CLI says it
};

// The problem for what a command would have failed with: usage 400, refused (trust) 422,
// unreadable package 422, locked 409, anything else 500.
Problem problem_from_exception(std::exception_ptr error);

std::string problem_title(int status);
std::string problem_json(const Problem& problem);
void send_problem(httplib::Response& response, const Problem& problem);

}  // namespace migpkg::serve
