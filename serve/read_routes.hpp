#pragma once
#include "serve/guarded_route.hpp"

namespace migpkg::serve {

// /healthz, /, /status, /history, /audit, /backups, /metrics, /verify (docs/serve.md).
void add_read_routes(httplib::Server& server, ServeState& state);

}  // namespace migpkg::serve
