// pack: a plugin's source directory -> a signed, reproducible .migpkg.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/secret_key_file.hpp"
#include "runtime/package/archive_writer.hpp"
#include "runtime/package/minisign.hpp"
#include "runtime/package/package_builder.hpp"

namespace migpkg::cli {

int run_pack(const Arguments& args) {
  if (args.positionals().size() != 1) throw UsageError("pack takes one plugin directory");
  auto output = args.value("--output");
  if (!output) throw UsageError("-o OUT.migpkg is required");
  auto key_path = args.value("--key");
  if (!key_path) throw UsageError("--key NAME.key is required (make one with migpkg keygen)");
  std::int64_t mtime;
  try {
    mtime = package::package_mtime();
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  package::SecretKey key = load_secret_key(args, *key_path);

  Diagnostics diagnostics;
  package::BuiltPackage built =
      package::build_package(args.positionals()[0], key, mtime, diagnostics);
  bool json = args.flag("--json");
  if (stop_on_errors(diagnostics, json)) return kFailed;
  write_output(*output, built.bytes);

  const package::Manifest& m = built.manifest;
  std::string engines;
  for (const auto& e : m.engines) engines += (engines.empty() ? "" : ", ") + e;
  if (json) {
    nlohmann::ordered_json out;
    out["package"] = *output;
    out["plugin"] = m.plugin;
    out["version"] = m.version;
    out["keyId"] = package::key_id_hex(key.id);
    out["bytes"] = built.bytes.size();
    out["files"] = m.files.size();
    out["engines"] = m.engines;
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << "packed " << m.plugin << " " << m.version << " -> " << *output << " ("
              << built.bytes.size() << " bytes, " << m.files.size() << " files, "
              << m.migrations.size() << " migrations)\n"
              << "engines: " << engines << "\n";
    for (const auto& u : m.unsupported_engines)
      std::cout << "no plan for " << u.engine << ": " << u.reason << "\n";
    std::cout << "signed by key " << package::key_id_hex(key.id) << "\n";
  }
  return kOk;
}

}  // namespace migpkg::cli
