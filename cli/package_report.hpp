#pragma once
// What verify and inspect share: the trust store from --trust (or the default directory), the
// signature as JSON, and --json reports of a refused package.
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/arguments.hpp"
#include "runtime/package/package_verifier.hpp"
#include "runtime/package/verify_report_json.hpp"

namespace migpkg::cli {

package::TrustStore trust_from(const Arguments& args);

using package::signature_json;  // runtime/package/verify_report_json.hpp

// Runs `body`; with --json a refusal is reported on stdout too ({package, ok: false, refused,
// error}), so a registry's script reads one format. The message still goes to stderr (the
// exception is rethrown) and the exit code is the same (3, or 1 for an unreadable archive).
int reporting_refusals(const Arguments& args, const std::string& path,
                       const std::function<int()>& body);

}  // namespace migpkg::cli
