#include "runtime/package/index_selection.hpp"

#include <sys/stat.h>

#include <stdexcept>

#include "compiler/util/semver.hpp"
#include "runtime/package/archive_reader.hpp"
#include "runtime/package/atomic_file.hpp"
#include "runtime/package/index_build.hpp"
#include "runtime/package/package_error.hpp"
#include "runtime/package/utc_time.hpp"

namespace migpkg::package {
namespace {

std::string describe_keys(const std::vector<KeyId>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : " <- ") + key_id_hex(id);
  return out;
}

// Refuses when the index revokes `signer` or a key its trust goes through; `what` names the
// signed thing ("index.json", "package x.migpkg").
void refuse_revoked(const RegistryIndex& index, const std::string& label, const std::string& what,
                    const KeyId& signer, const TrustStore& trust) {
  auto behind = trust.keys_behind(signer);
  for (const auto& id : behind) {
    if (!index.is_revoked(id)) continue;
    if (id == signer)
      refuse(label + ": " + what + " is signed by key " + key_id_hex(id) +
             ", which the index lists as revoked (/revokedKeys)");
    refuse(label + ": " + what + " is signed by key " + key_id_hex(signer) +
           ", trusted only through rotation statements from key " + key_id_hex(id) +
           ", which the index lists as revoked (/revokedKeys; chain " + describe_keys(behind) +
           ")");
  }
}

}  // namespace

IndexSelection select_from_index(const std::string& location, TrustStore& trust,
                                 const std::string& trust_directory,
                                 const std::vector<std::string>& requirements, std::int64_t now) {
  IndexSelection out;
  struct stat info {};
  if (stat(location.c_str(), &info) != 0)
    refuse("index " + location + ": no such file or directory");
  out.index_path = S_ISDIR(info.st_mode)
                       ? location + (location.back() == '/' ? "" : "/") + kIndexName
                       : location;
  const std::string& label = out.index_path;
  auto slash = label.find_last_of('/');
  std::string directory = slash == std::string::npos ? "." : label.substr(0, slash);

  // 1. The signature, before a byte of the index is interpreted.
  std::string signature_path = label + ".minisig";
  Signature signature;
  try {
    signature = parse_signature(
        read_bounded_file(signature_path, kMaxIndexSignatureBytes, "index signature"),
        signature_path);
  } catch (const KeyError& e) {
    refuse(e.what());
  }
  const PublicKey* key = trust.find(signature.key_id);
  if (!key)
    refuse(label + ": signed by key " + key_id_hex(signature.key_id) +
           ", which is not trusted (trusted keys from " + trust.origin() + ": " + trust.describe() +
           ")");
  std::string bytes = read_bounded_file(label, kMaxIndexBytes, "index");
  try {
    verify_signature(*key, signature, bytes);
  } catch (const KeyError& e) {
    refuse(label + ": " + e.what());
  }
  out.signer = signature.key_id;
  out.signer_chain = trust.describe_chain(signature.key_id);

  // 2. Strict parsing, and the signed trusted comment must agree with it.
  out.index = parse_index(bytes, label);
  const RegistryIndex& index = out.index;
  if (signature.trusted_comment != index_trusted_comment(index))
    refuse(label + ": the index says version " + std::to_string(index.version) + ", expires " +
           index.expires + " but its signed trusted comment says '" + signature.trusted_comment +
           "'");

  // 3-4. Rotations it ships, revocations, expiry, rollback.
  trust.accept_rotations(index.rotations);
  refuse_revoked(index, label, "the index", out.signer, trust);
  auto expires = parse_utc(index.expires);
  if (!expires || *expires <= now)
    refuse(label + ": the index expired at " + index.expires + " (now " + format_utc(now) +
           "; /expires): refusing a stale index, which could hide newer packages or "
           "revocations; ask the registry for a fresh one");
  out.state_key = trust.keys_behind(out.signer).back();
  if (auto state = read_index_state(trust_directory, out.state_key); state) {
    if (index.version < state->version)
      refuse(label + ": index version " + std::to_string(index.version) +
             " is older than version " + std::to_string(state->version) +
             " already accepted for key " + key_id_hex(out.state_key) + " (" +
             index_state_path(trust_directory, out.state_key) +
             "; /version): refusing a rolled-back index");
  }

  // 5. The highest listed version in each range.
  for (const auto& text : requirements) {
    std::string why;
    auto requirement = PluginRequirement::parse(text, &why);
    if (!requirement)
      throw std::runtime_error("'" + text + "' is not PLUGIN or PLUGIN@RANGE: " + why);
    const IndexPackage* best = nullptr;
    std::string listed;
    for (const auto& p : index.packages) {
      if (p.plugin != requirement->plugin) continue;
      listed += (listed.empty() ? "" : ", ") + p.version;
      auto version = SemVer::parse(p.version);
      if (!version || !requirement->range.contains(*version)) continue;
      if (!best || *SemVer::parse(best->version) < *version) best = &p;
    }
    if (!best)
      throw std::runtime_error(
          label + ": no version of " + requirement->plugin + " in range '" +
          requirement->range.text() + "' (" +
          (listed.empty() ? std::string("the index lists none") : "listed: " + listed) + ")");
    for (const auto& chosen : out.chosen)
      if (chosen.plugin == best->plugin)
        throw std::runtime_error(text + ": " + best->plugin + " is asked for twice");
    out.chosen.push_back(*best);
  }

  // 6. Each file's bytes, before it is opened as an archive.
  for (const auto& entry : out.chosen) {
    std::string path = directory + "/" + entry.file;
    struct stat file_info {};
    if (lstat(path.c_str(), &file_info) != 0)
      refuse(label + ": " + entry.plugin + " " + entry.version + " is listed as " + entry.file +
             ", which is missing beside the index");
    if (!S_ISREG(file_info.st_mode))
      refuse(label + ": " + path + " is not a regular file (a link or a directory)");
    if (static_cast<std::uint64_t>(file_info.st_size) != entry.size)
      refuse(label + ": " + entry.file + " (" + entry.plugin + " " + entry.version + ") is " +
             std::to_string(file_info.st_size) + " bytes but the index says " +
             std::to_string(entry.size) +
             " (/packages, size): refusing a package that differs "
             "from the index");
    // Hashed reading at most the listed size: a file that grew since is refused too. The
    // package is opened by name once more to be verified (package_loader.hpp); a file swapped
    // in between must still be a package a trusted key signed, and the plugin version and signer
    // the index lists (check_against_index).
    std::uint64_t size = 0;
    std::string sha256 = file_sha256(path, entry.size, size);
    if (sha256 != entry.sha256)
      refuse(label + ": " + entry.file + " (" + entry.plugin + " " + entry.version +
             ") has SHA-256 " + sha256 + " but the index says " + entry.sha256 +
             " (/packages, sha256): refusing a package that differs from the index");
    out.package_paths.push_back(path);
  }
  return out;
}

void check_against_index(const IndexSelection& selection, const IndexPackage& entry,
                         const std::string& path, const std::string& plugin,
                         const std::string& version, const KeyId& signer, const TrustStore& trust) {
  const std::string& label = selection.index_path;
  if (plugin != entry.plugin || version != entry.version)
    refuse(label + ": " + path + " holds " + plugin + " " + version + " but the index lists " +
           entry.plugin + " " + entry.version);
  if (signer != entry.key_id)
    refuse(label + ": " + path + " is signed by key " + key_id_hex(signer) +
           " but the index says key " + key_id_hex(entry.key_id) + " (/packages, keyId)");
  refuse_revoked(selection.index, label, "package " + entry.file, signer, trust);
}

void record_index_state(const std::string& trust_directory, const IndexSelection& selection,
                        std::int64_t now) {
  auto kept = read_index_state(trust_directory, selection.state_key);
  if (kept && kept->version >= selection.index.version) return;  // nothing new to keep
  IndexState state;
  state.key_id = selection.state_key;
  state.version = selection.index.version;
  state.expires = selection.index.expires;
  state.accepted = format_utc(now);
  state.index = selection.index_path;
  write_index_state(trust_directory, state);
}

}  // namespace migpkg::package
