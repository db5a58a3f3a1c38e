#include "serve/guarded_route.hpp"

#include <chrono>

#include "serve/problem.hpp"

namespace migpkg::serve {
namespace {

// The token of "Authorization: Bearer TOKEN" ("" when there is none).
std::string bearer_token(const httplib::Request& request) {
  const std::string header = request.get_header_value("Authorization");
  if (header.size() > kMaxAuthorization || header.size() < 7) return "";
  std::string scheme = header.substr(0, 7);
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "bearer ") return "";
  std::size_t start = header.find_first_not_of(' ', 7);
  return start == std::string::npos ? "" : header.substr(start);
}

}  // namespace

void send_json(httplib::Response& response, const std::string& body, int status) {
  response.status = status;
  response.set_content(body, "application/json");
}

void add_route(httplib::Server& server, ServeState& state, const std::string& method,
               const std::string& pattern, std::optional<access::Role> needed,
               RouteHandler handler) {
  auto guarded = [&state, method, pattern, needed, handler](const httplib::Request& request,
                                                            httplib::Response& response) {
    const auto start = std::chrono::steady_clock::now();
    const std::string route = method + " " + pattern;
    Caller caller;
    bool allowed = true;
    if (needed) {
      const std::string token = bearer_token(request);
      std::optional<access::TokenEntry> entry;
      if (!token.empty()) entry = state.tokens.match(token);
      if (!entry) {
        allowed = false;
        response.set_header("WWW-Authenticate", "Bearer realm=\"migpkg\"");
        send_problem(response,
                     {401, "unauthorized",
                      token.empty() ? "this request needs an Authorization: Bearer TOKEN header"
                                    : "the token is not known (see migpkg token list)"});
        if (state.denied) state.denied->record("unknown", 401, route);
      } else if (!access::allows(entry->role, *needed)) {
        allowed = false;
        send_problem(response,
                     {403, "forbidden",
                      route + " needs the " + access::to_string(*needed) + " role; the token '" +
                          entry->name + "' has " + access::to_string(entry->role)});
        if (state.denied) state.denied->record(entry->name, 403, route);
      } else {
        caller = {entry->name, entry->role};
      }
    }
    if (allowed) {
      try {
        handler(request, response, caller);
      } catch (...) {
        send_problem(response, problem_from_exception(std::current_exception()));
      }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.metrics.record(pattern, method, response.status, seconds);
  };
  std::string regex = pattern;
  if (auto at = regex.find("{id}"); at != std::string::npos)
    regex.replace(at, 4, "([A-Za-z0-9._-]{1,64})");
  if (method == "GET")
    server.Get(regex, guarded);
  else if (method == "POST")
    server.Post(regex, guarded);
  else if (method == "DELETE")
    server.Delete(regex, guarded);
}

}  // namespace migpkg::serve
