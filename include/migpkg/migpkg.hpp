#pragma once
// migpkg public API (docs/api.md): validate, compile, install, plan, rollback, status, history,
// verify, export, import and copy as C++ calls, with results as plain structs. Link
// migpkg::migpkg (CMake, find_package(migpkg)) or `pkg-config --cflags --libs migpkg`.
#include "diagnostics.hpp"
#include "operations.hpp"
#include "results.hpp"

namespace migpkg::api {

// Raised when the rules of docs/api.md, "Versioning", change what a header declares.
inline constexpr int kApiVersion = 3;

// The library's version, e.g. "0.1.0" (the version of the migpkg it was built with).
const char* library_version();

}  // namespace migpkg::api
