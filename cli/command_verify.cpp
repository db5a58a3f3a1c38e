// verify and inspect: check a package (nothing is extracted to disk) and show what it holds.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "runtime/package/package_error.hpp"
#include "runtime/package/package_verifier.hpp"

namespace migpkg::cli {

int verify_and_report(const Arguments& args, const std::string& path);
int inspect_and_report(const Arguments& args, const std::string& path);

namespace {

package::TrustStore trust_from(const Arguments& args) {
  return package::TrustStore::load(package::trust_location(args.value("--trust")));
}

nlohmann::ordered_json signature_json(const package::VerifiedPackage& v) {
  nlohmann::ordered_json s;
  s["keyId"] = package::key_id_hex(v.key_id);
  s["verified"] = v.signature_checked;
  if (v.signature_checked) s["trustedKey"] = v.key_source;
  return s;
}

// With --json a refusal is reported on stdout too ({package, ok: false, refused, error}), so a
// registry's script reads one format; the message still goes to stderr and the exit code is
// the same (3, or 1 for an unreadable archive).
template <typename Body>
int reporting_refusals(const Arguments& args, const std::string& path, Body body) {
  if (!args.flag("--json")) return body();
  try {
    return body();
  } catch (const package::PackageError& e) {
    bool refused = e.kind() == package::PackageErrorKind::Refused;
    nlohmann::ordered_json out;
    out["package"] = path;
    out["ok"] = false;
    out["refused"] = refused;
    out["error"] = e.what();
    std::cout << out.dump(2) << "\n";
    throw;
  }
}

}  // namespace

int run_verify(const Arguments& args) {
  if (args.positionals().size() != 1) throw UsageError("verify takes one package");
  const std::string& path = args.positionals()[0];
  return reporting_refusals(args, path, [&] { return verify_and_report(args, path); });
}

int verify_and_report(const Arguments& args, const std::string& path) {
  package::TrustStore trust = trust_from(args);
  package::VerifiedPackage v = package::verify_package_file(path, &trust);
  const package::Manifest& m = v.manifest;
  if (args.flag("--json")) {
    nlohmann::ordered_json out;
    out["package"] = path;
    out["ok"] = true;
    out["plugin"] = m.plugin;
    out["version"] = m.version;
    out["signature"] = signature_json(v);
    out["files"] = m.files.size();
    out["bytes"] = v.member_bytes;
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << path << ": OK: " << m.plugin << " " << m.version << ", signed by key "
              << package::key_id_hex(v.key_id) << " (" << v.key_source << "); " << m.files.size()
              << " files, " << v.member_bytes << " bytes, every hash matches\n";
  }
  return kOk;
}

int run_inspect(const Arguments& args) {
  if (args.positionals().size() != 1) throw UsageError("inspect takes one package");
  const std::string& path = args.positionals()[0];
  return reporting_refusals(args, path, [&] { return inspect_and_report(args, path); });
}

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

}  // namespace migpkg::cli
