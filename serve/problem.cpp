#include "serve/problem.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "cli/failure.hpp"

namespace migpkg::serve {

Problem problem_from_exception(std::exception_ptr error) {
  cli::Failure failure = cli::describe_failure(error);
  int status = 500;
  if (failure.code == "usage") status = 400;
  if (failure.code == "refused" || failure.code == "unreadable") status = 422;
  if (failure.code == "locked") status = 409;
  return {status, failure.code, failure.message};
}

std::string problem_title(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 503:
      return "Service Unavailable";
    default:
      return status >= 500 ? "Internal Server Error" : "Bad Request";
  }
}

std::string problem_json(const Problem& problem) {
  nlohmann::ordered_json out;
  out["type"] = "urn:migpkg:problem:" + problem.code;
  out["title"] = problem_title(problem.status);
  out["status"] = problem.status;
  out["detail"] = problem.detail;
  out["code"] = problem.code;
  return out.dump();
}

void send_problem(httplib::Response& response, const Problem& problem) {
  response.status = problem.status;
  response.set_content(problem_json(problem), "application/problem+json");
}

}  // namespace migpkg::serve
