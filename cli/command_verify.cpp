// verify: check a package's signature and every file (nothing is extracted to disk), through the
// public API (include/migpkg/, api/).
#include <iostream>

#include "cli/api_client.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/package_report.hpp"

namespace migpkg::cli {
namespace {

int verify_and_report(const Arguments& args, const std::string& path) {
  api::VerifyResult v = api::verify(path, args.value("--trust"));
  rethrow_failure(v);
  if (args.flag("--json")) {
    std::cout << v.json << "\n";
  } else {
    std::cout << path << ": OK: " << v.plugin << " " << v.version << ", signed by key " << v.key_id
              << " (" << v.trusted_key << "); " << v.files << " files, " << v.bytes
              << " bytes, every hash matches\n";
    if (!v.rotation.empty()) std::cout << v.rotation << "\n";
  }
  return kOk;
}

}  // namespace

int run_verify(const Arguments& args) {
  if (args.positionals().size() != 1) throw UsageError("verify takes one package");
  const std::string& path = args.positionals()[0];
  return reporting_refusals(args, path, [&] { return verify_and_report(args, path); });
}

}  // namespace migpkg::cli
