// verify: check a package's signature and every file (nothing is extracted to disk).
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/package_report.hpp"
#include "cli/report_json.hpp"

namespace migpkg::cli {
namespace {

int verify_and_report(const Arguments& args, const std::string& path) {
  package::TrustStore trust = trust_from(args);
  package::VerifiedPackage v = package::verify_package_file(path, &trust);
  const package::Manifest& m = v.manifest;
  if (args.flag("--json")) {
    nlohmann::ordered_json out = verify_json(path, v);
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << path << ": OK: " << m.plugin << " " << m.version << ", signed by key "
              << package::key_id_hex(v.key_id) << " (" << v.key_source << "); " << m.files.size()
              << " files, " << v.member_bytes << " bytes, every hash matches\n";
    if (!v.trust_chain.empty()) std::cout << v.trust_chain << "\n";
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
