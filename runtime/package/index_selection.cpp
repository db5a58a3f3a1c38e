#include "runtime/package/index_selection.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <stdexcept>

#include "compiler/util/semver.hpp"
#include "compiler/util/sha256.hpp"
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

// Refuses when an index accepted before revoked `signer` or a key its trust goes through: the
// revocation holds whether or not this index still lists it.
void refuse_remembered(const std::vector<RememberedRevocation>& remembered,
                       const std::string& label, const std::string& what, const KeyId& signer,
                       const TrustStore& trust) {
  auto behind = trust.keys_behind(signer);
  for (const auto& id : behind)
    for (const auto& revocation : remembered) {
      if (revocation.key != id) continue;
      refuse(label + ": " + what + " is signed by key " + key_id_hex(signer) +
             (id == signer
                  ? std::string()
                  : ", trusted only through rotation statements from key " + key_id_hex(id)) +
             ", which an index accepted before revoked (remembered in " + revocation.state_file +
             "; /revokedKeys): a revoked key stays refused");
    }
}

// The file beside the index, read whole (it is never opened again): a regular file, not a
// link, of exactly the listed size.
std::string read_listed_package(const std::string& label, const IndexPackage& entry,
                                const std::string& path) {
  auto differs = [&](const std::string& size) {
    refuse(label + ": " + entry.file + " (" + entry.plugin + " " + entry.version + ") is " + size +
           " bytes but the index says " + std::to_string(entry.size) +
           " (/packages, size): refusing a package that differs from the index");
  };
  if (entry.size > kMaxIndexedPackageBytes)
    refuse(label + ": " + entry.file + " (" + entry.plugin + " " + entry.version +
           ") is listed at " + std::to_string(entry.size) + " bytes, above the limit of " +
           std::to_string(kMaxIndexedPackageBytes) +
           " an installer reads from an index (/packages, size)");
  int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) refuse(label + ": " + path + ": cannot open (" + std::strerror(errno) + ")");
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    close(fd);
    refuse(label + ": " + path + " is not a regular file (a link or a directory)");
  }
  if (static_cast<std::uint64_t>(info.st_size) != entry.size) {
    close(fd);
    differs(std::to_string(info.st_size));
  }
  // One byte more than listed tells a file that grew since the fstat.
  std::string bytes(static_cast<std::size_t>(entry.size) + 1, '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      close(fd);
      refuse(label + ": " + path + ": cannot read (" + std::strerror(errno) + ")");
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  close(fd);
  if (done != entry.size)
    differs(done > entry.size ? "more than " + std::to_string(entry.size) : std::to_string(done));
  bytes.resize(done);
  return bytes;
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
  auto issued = parse_utc(index.issued);
  if (!issued || *issued > now + kIndexClockSkewSeconds)
    refuse(label + ": the index was issued at " + index.issued + ", in the future (now " +
           format_utc(now) +
           "; /issued): refusing an index from a clock that is wrong, or "
           "made to outlive its expiry");
  out.remembered = remembered_revocations(trust_directory);
  refuse_remembered(out.remembered, label, "the index", out.signer, trust);
  out.state_key = trust.keys_behind(out.signer).back();
  if (auto state = read_index_state(trust_directory, out.state_key); state) {
    const std::string kept = index_state_path(trust_directory, out.state_key);
    if (index.version < state->version)
      refuse(label + ": index version " + std::to_string(index.version) +
             " is older than version " + std::to_string(state->version) +
             " already accepted for key " + key_id_hex(out.state_key) + " (" + kept +
             "; /version): refusing a rolled-back index");
    auto last_issued = parse_utc(state->issued);
    if (last_issued && *issued < *last_issued)
      refuse(label + ": the index was issued at " + index.issued + ", before " + state->issued +
             ", when the index already accepted for key " + key_id_hex(out.state_key) +
             " was issued (" + kept + "; /issued): refusing a rolled-back index");
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

  // 6. Each file's bytes, read once: they are what is hashed here and verified and installed
  // later, whatever happens to the file meanwhile.
  for (const auto& entry : out.chosen) {
    std::string path = directory + "/" + entry.file;
    struct stat file_info {};
    if (lstat(path.c_str(), &file_info) != 0)
      refuse(label + ": " + entry.plugin + " " + entry.version + " is listed as " + entry.file +
             ", which is missing beside the index");
    if (!S_ISREG(file_info.st_mode))
      refuse(label + ": " + path + " is not a regular file (a link or a directory)");
    std::string package_bytes = read_listed_package(label, entry, path);
    Sha256 hash;
    hash.update(package_bytes.data(), package_bytes.size());
    std::string sha256 = hash.hex_digest();
    if (sha256 != entry.sha256)
      refuse(label + ": " + entry.file + " (" + entry.plugin + " " + entry.version +
             ") has SHA-256 " + sha256 + " but the index says " + entry.sha256 +
             " (/packages, sha256): refusing a package that differs from the index");
    out.package_paths.push_back(path);
    out.package_bytes.push_back(std::move(package_bytes));
  }
  return out;
}

std::vector<LoadedPackage> load_index_packages(const IndexSelection& selection,
                                               const TrustStore& trust, Diagnostics& diagnostics) {
  std::vector<LoadedPackage> out;
  for (std::size_t i = 0; i < selection.chosen.size(); ++i) {
    const std::string& path = selection.package_paths[i];
    LoadedPackage loaded = load_package_bytes(selection.package_bytes[i], path, trust, diagnostics);
    const auto& m = loaded.verified.manifest;
    check_against_index(selection, selection.chosen[i], path, m.plugin, m.version,
                        loaded.verified.key_id, trust);
    out.push_back(std::move(loaded));
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
  refuse_remembered(selection.remembered, label, "package " + entry.file, signer, trust);
}

void record_index_state(const std::string& trust_directory, const IndexSelection& selection,
                        std::int64_t now) {
  const RegistryIndex& index = selection.index;
  auto kept = read_index_state(trust_directory, selection.state_key);
  std::set<KeyId> revoked(index.revoked.begin(), index.revoked.end());
  if (kept) revoked.insert(kept->revoked.begin(), kept->revoked.end());
  if (kept) {
    auto kept_issued = parse_utc(kept->issued);
    bool newer = index.version > kept->version ||
                 (!kept_issued || *kept_issued < parse_utc(index.issued).value_or(0));
    if (!newer && revoked.size() == kept->revoked.size()) return;  // nothing new to keep
    if (!newer) {  // only revocations to add: the rest stays as it was
      IndexState state = *kept;
      state.revoked.assign(revoked.begin(), revoked.end());
      write_index_state(trust_directory, state);
      return;
    }
  }
  IndexState state;
  state.key_id = selection.state_key;
  state.version = index.version;
  state.expires = index.expires;
  state.accepted = format_utc(now);
  state.index = selection.index_path;
  state.issued = index.issued;
  state.revoked.assign(revoked.begin(), revoked.end());
  write_index_state(trust_directory, state);
}

}  // namespace migpkg::package
