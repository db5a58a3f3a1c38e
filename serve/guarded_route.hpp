#pragma once
// What every route shares: the server's state, and the wrapper that times a request, checks its
// bearer token against the role the route needs (401 without a known token, 403 with a weaker
// role; both audited through DeniedAudit), turns an exception into a problem response and
// counts the request in the metrics.
#include <httplib.h>

#include <functional>
#include <optional>
#include <string>

#include "runtime/access/tokens.hpp"
#include "runtime/operations/operation_registry.hpp"
#include "serve/denied_audit.hpp"
#include "serve/metrics.hpp"
#include "serve/read_connections.hpp"
#include "serve/server.hpp"

namespace migpkg::serve {

struct ServeState {
  ServeOptions options;
  access::TokenFile tokens;
  Metrics metrics;
  DeniedAudit* denied = nullptr;
  operations::OperationRegistry* operations = nullptr;
  ReadConnections* readers = nullptr;
};

struct Caller {
  std::string name;  // the token's name: the actor of what it runs
  access::Role role = access::Role::viewer;
};

using RouteHandler =
    std::function<void(const httplib::Request&, httplib::Response&, const Caller&)>;

// Registers METHOD pattern; `needed` empty = no token needed. "{id}" in the pattern matches an
// operation id (req.matches[1]); the metrics and the OpenAPI document name the route as written.
void add_route(httplib::Server& server, ServeState& state, const std::string& method,
               const std::string& pattern, std::optional<access::Role> needed,
               RouteHandler handler);

// The longest Authorization header value looked at ("Bearer " + a token is 72 bytes).
inline constexpr std::size_t kMaxAuthorization = 512;

void send_json(httplib::Response& response, const std::string& body, int status = 200);

}  // namespace migpkg::serve
