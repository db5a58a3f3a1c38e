// index build: a registry directory's packages -> a signed index.json (docs/trust.md).
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/secret_key_file.hpp"
#include "runtime/package/index_build.hpp"
#include "runtime/package/key_rotation.hpp"
#include "runtime/package/utc_time.hpp"

namespace migpkg::cli {

int run_index(const Arguments& args) {
  const auto& words = args.positionals();
  if (words.empty() || words[0] != "build")
    throw UsageError("index takes a subcommand: index build DIR --key K.key");
  if (words.size() != 2) throw UsageError("index build takes one registry directory");
  const std::string& dir = words[1];
  auto key_path = args.value("--key");
  if (!key_path) throw UsageError("--key K.key is required (the registry's index key)");

  package::IndexBuildOptions options;
  options.now = package::unix_now();
  std::string expires = args.value("--expires").value_or("30d");
  auto when = package::parse_expiry(expires, options.now);
  if (!when)
    throw UsageError(
        "--expires takes Nd or Nh (a duration), YYYY-MM-DD or an RFC 3339 UTC time "
        "(2027-01-31T00:00:00Z), not '" +
        expires + "'");
  options.expires = *when;
  if (auto version = args.value("--version")) {
    bool digits = !version->empty() && version->size() <= 18 &&
                  version->find_first_not_of("0123456789") == std::string::npos;
    if (!digits || std::stoull(*version) == 0)
      throw UsageError("--version takes a positive integer, not '" + *version + "'");
    options.version = std::stoull(*version);
  }
  for (const auto& text : args.all("--revoke")) {
    auto id = package::parse_key_id_hex(text);
    if (!id)
      throw UsageError(
          "--revoke takes a key id (16 upper-case hex digits, as keygen prints it), "
          "not '" +
          text + "'");
    options.revoked.push_back(*id);
  }
  package::SecretKey key = load_secret_key(args, *key_path);
  package::BuiltIndex built = package::build_index(dir, key, options);
  const package::RegistryIndex& index = built.index;
  if (args.flag("--json")) {
    nlohmann::ordered_json out;
    out["index"] = built.index_path;
    out["signature"] = built.signature_path;
    out["version"] = index.version;
    out["issued"] = index.issued;
    out["expires"] = index.expires;
    out["keyId"] = package::key_id_hex(key.id);
    out["packages"] = index.packages.size();
    out["revokedKeys"] = index.revoked.size();
    out["rotations"] = index.rotations.size();
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << "wrote " << built.index_path << " (version " << index.version << ", "
              << index.packages.size() << " packages, expires " << index.expires << ")\n"
              << "signed by key " << package::key_id_hex(key.id) << " -> " << built.signature_path
              << "\n";
    if (!index.revoked.empty()) std::cout << "revoked keys: " << index.revoked.size() << "\n";
    if (!index.rotations.empty())
      std::cout << "rotation statements: " << index.rotations.size() << "\n";
  }
  return kOk;
}

}  // namespace migpkg::cli
