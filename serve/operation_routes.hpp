#pragma once
#include "serve/guarded_route.hpp"

namespace migpkg::serve {

// POST /plan, POST /operations/install, POST /operations/rollback, GET /operations,
// GET /operations/{id}, DELETE /operations/{id} (docs/serve.md, "Operations").
void add_operation_routes(httplib::Server& server, ServeState& state);

}  // namespace migpkg::serve
