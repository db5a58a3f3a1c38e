#pragma once
// The --json report of `verify` (schemas/verify.schema.json) and the signature part `inspect`
// shares, built once for the command line, the HTTP API (serve/) and the public API (api/).
#include <nlohmann/json.hpp>
#include <string>

#include "runtime/package/package_verifier.hpp"

namespace migpkg::package {

nlohmann::ordered_json signature_json(const VerifiedPackage& verified);
// `path`: the package as the caller names it.
nlohmann::ordered_json verify_json(const std::string& path, const VerifiedPackage& verified);

}  // namespace migpkg::package
