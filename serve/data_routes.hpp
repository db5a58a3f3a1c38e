#pragma once
#include <httplib.h>

#include "serve/guarded_route.hpp"

namespace migpkg::serve {

// POST /operations/restore, /operations/export, /operations/import and /operations/copy.
void add_data_routes(httplib::Server& server, ServeState& state);

}  // namespace migpkg::serve
