// inspect: show a package's manifest, migrations, engines and signer (the archive rules and every
// hash are checked; the signature too with --trust).
#include <iostream>
#include <optional>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/package_report.hpp"

namespace migpkg::cli {
namespace {

int inspect_and_report(const Arguments& args, const std::string& path) {
  std::optional<package::TrustStore> trust;
  if (args.value("--trust")) trust = trust_from(args);
  package::VerifiedPackage v = package::verify_package_file(path, trust ? &*trust : nullptr);
  const package::Manifest& m = v.manifest;
  if (args.flag("--json")) {
    nlohmann::ordered_json out;
    out["package"] = path;
    out["signature"] = signature_json(v);
    out["manifest"] = package::manifest_to_json(m);
    std::cout << out.dump(2) << "\n";
    return kOk;
  }
  auto list = [](const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out.empty() ? std::string("none") : out;
  };
  std::cout << "package:      " << path << "\n"
            << "plugin:       " << m.plugin << " " << m.version << "\n"
            << "built with:   " << m.built_with << "\n"
            << "signed by:    key " << package::key_id_hex(v.key_id)
            << (v.signature_checked ? " (verified with " + v.key_source + ")"
                                    : " (NOT verified: pass --trust to check the signature)")
            << "\n"
            << "engines:      " << list(m.engines) << "\n";
  for (const auto& u : m.unsupported_engines)
    std::cout << "  no plan for " << u.engine << ": " << u.reason << "\n";
  std::cout << "dependencies: " << list(m.dependencies) << "\n"
            << "conflicts:    " << list(m.conflicts) << "\n"
            << "migrations:   " << m.migrations.size() << "\n";
  for (const auto& mig : m.migrations)
    std::cout << "  " << mig.version << "  " << mig.id << "  " << mig.checksum << "\n";
  std::cout << "files:        " << m.files.size() << " (" << v.member_bytes
            << " bytes, every hash matches the manifest)\n";
  for (const auto& f : m.files) std::cout << "  " << f.path << "  " << f.size << "\n";
  return kOk;
}

}  // namespace

int run_inspect(const Arguments& args) {
  if (args.positionals().size() != 1) throw UsageError("inspect takes one package");
  const std::string& path = args.positionals()[0];
  return reporting_refusals(args, path, [&] { return inspect_and_report(args, path); });
}

}  // namespace migpkg::cli
