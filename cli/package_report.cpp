#include "cli/package_report.hpp"

#include <iostream>

#include "runtime/package/package_error.hpp"

namespace migpkg::cli {

package::TrustStore trust_from(const Arguments& args) {
  return package::TrustStore::load(package::trust_location(args.value("--trust")));
}

int reporting_refusals(const Arguments& args, const std::string& path,
                       const std::function<int()>& body) {
  if (!args.flag("--json")) return body();
  try {
    return body();
  } catch (const package::PackageError& e) {
    nlohmann::ordered_json out;
    out["package"] = path;
    out["ok"] = false;
    out["refused"] = e.kind() == package::PackageErrorKind::Refused;
    out["error"] = e.what();
    std::cout << out.dump(2) << "\n";
    throw;
  }
}

}  // namespace migpkg::cli
