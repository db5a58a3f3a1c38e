#include "runtime/package/index_build.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "compiler/util/sha256.hpp"
#include "runtime/package/atomic_file.hpp"
#include "runtime/package/package_error.hpp"
#include "runtime/package/package_verifier.hpp"
#include "runtime/package/utc_time.hpp"

namespace migpkg::package {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string joined(const std::string& dir, const std::string& name) {
  return dir + (ends_with(dir, "/") ? "" : "/") + name;
}

// Sorted names of DIR's regular files ending in `suffix` (not starting with '.').
std::vector<std::string> files_ending(const std::string& dir, const std::string& suffix) {
  DIR* handle = opendir(dir.c_str());
  if (!handle)
    throw std::runtime_error("cannot read directory " + dir + ": " + std::strerror(errno));
  std::vector<std::string> out;
  while (dirent* entry = readdir(handle)) {
    std::string name = entry->d_name;
    if (name.empty() || name[0] == '.' || !ends_with(name, suffix)) continue;
    struct stat info {};
    if (lstat(joined(dir, name).c_str(), &info) == 0 && S_ISREG(info.st_mode)) out.push_back(name);
  }
  closedir(handle);
  std::sort(out.begin(), out.end());
  return out;
}

std::uint64_t next_version(const std::string& index_path) {
  struct stat info {};
  if (stat(index_path.c_str(), &info) != 0) return 1;
  try {
    RegistryIndex old =
        parse_index(read_bounded_file(index_path, kMaxIndexBytes, "index"), index_path);
    return old.version + 1;
  } catch (const PackageError& e) {
    throw std::runtime_error(std::string("cannot read the version of the existing index: ") +
                             e.what() + "; pass --version N");
  }
}

}  // namespace

std::string file_sha256(const std::string& path, std::uint64_t max_bytes, std::uint64_t& size) {
  int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) refuse(path + ": cannot open (" + std::strerror(errno) + ")");
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    close(fd);
    refuse(path + ": not a regular file");
  }
  Sha256 hash;
  size = 0;
  std::string buffer(1 << 16, '\0');
  for (;;) {
    ssize_t n = read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      close(fd);
      refuse(path + ": cannot read");
    }
    if (n == 0) break;
    size += static_cast<std::uint64_t>(n);
    if (size > max_bytes) {
      close(fd);
      refuse(path + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
    hash.update(buffer.data(), static_cast<std::size_t>(n));
  }
  close(fd);
  return hash.hex_digest();
}

BuiltIndex build_index(const std::string& dir, const SecretKey& key,
                       const IndexBuildOptions& options) {
  struct stat info {};
  if (stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode))
    throw std::runtime_error(dir + ": not a directory");
  if (options.expires <= options.now)
    throw std::runtime_error("the expiry " + format_utc(options.expires) +
                             " is not after the issue time " + format_utc(options.now));
  for (const auto& id : options.revoked)
    if (id == key.id)
      throw std::runtime_error("--revoke names the index key " + key_id_hex(key.id) +
                               " itself: installers would refuse this index");
  BuiltIndex built;
  built.index_path = joined(dir, kIndexName);
  built.signature_path = built.index_path + ".minisig";
  RegistryIndex& index = built.index;
  std::uint64_t previous = next_version(built.index_path);
  index.version = options.version.value_or(previous);
  if (index.version == 0) throw std::runtime_error("--version must be at least 1");
  if (options.version && *options.version + 1 < previous)
    throw std::runtime_error("--version " + std::to_string(*options.version) +
                             " is lower than the existing index's " + std::to_string(previous - 1) +
                             ": installers that saw that one would refuse it as a rollback");
  index.issued = format_utc(options.now);
  index.expires = format_utc(options.expires);
  index.revoked = options.revoked;

  TrustStore own = TrustStore::of({key.public_key()}, "the index key");
  for (const auto& name : files_ending(dir, ".migpkg")) {
    std::string path = joined(dir, name);
    if (auto problem = index_file_name_problem(name); !problem.empty())
      throw std::runtime_error(path + ": " + problem);
    // The package's own signer is checked at install, against the installer's trust; here only
    // what the index key signed can be verified, and every package must be well formed.
    VerifiedPackage verified = verify_package_file(path, nullptr);
    if (verified.key_id == key.id) verified = verify_package_file(path, &own);
    if (index.is_revoked(verified.key_id))
      throw std::runtime_error(path + " is signed by key " + key_id_hex(verified.key_id) +
                               ", which --revoke lists: re-sign it with a current key or remove "
                               "it from " +
                               dir);
    IndexPackage p;
    p.plugin = verified.manifest.plugin;
    p.version = verified.manifest.version;
    p.file = name;
    p.sha256 = file_sha256(path, ReadLimits{}.max_total_bytes, p.size);
    p.key_id = verified.key_id;
    for (const auto& other : index.packages)
      if (other.plugin == p.plugin && other.version == p.version)
        throw std::runtime_error(dir + ": " + other.file + " and " + name + " both hold " +
                                 p.plugin + " " + p.version + "; an index lists each version once");
    index.packages.push_back(p);
  }
  for (const auto& name : files_ending(dir, ".rotation")) {
    std::string path = joined(dir, name);
    RotationStatement statement = parse_rotation_statement(
        read_bounded_file(path, kMaxRotationBytes, "rotation statement"),
        read_bounded_file(path + ".minisig", kMaxRotationBytes, "rotation statement's signature"),
        name);
    if (statement.old_key_id == key.id) verify_rotation_statement(statement, key.public_key());
    index.rotations.push_back(statement);
  }
  built.bytes = index_bytes(index);
  std::string signature = sign_message(key, built.bytes, index_trusted_comment(index));
  write_file_atomically(built.index_path, built.bytes);
  write_file_atomically(built.signature_path, signature);
  return built;
}

}  // namespace migpkg::package
