// keygen: a publisher's Ed25519 key pair in minisign's formats (NAME.key secret, mode 0600;
// NAME.pub public), so minisign can use them too.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/password.hpp"
#include "runtime/crypto/age_keys.hpp"
#include "runtime/package/atomic_file.hpp"
#include "runtime/package/minisign.hpp"

namespace migpkg::cli {
namespace {

// Creates `path` with `mode` and writes it whole; never follows or replaces an existing file
// unless `replace` (then the old one is removed first, so the new mode always applies).
void write_new_file(const std::string& path, const std::string& content, mode_t mode,
                    bool replace) {
  if (replace) unlink(path.c_str());
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST)
      throw std::runtime_error(path + " already exists; pass --force to replace it");
    throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  }
  // fchmod: the umask must not widen or narrow the mode.
  bool ok = fchmod(fd, mode) == 0 && package::write_all(fd, content);
  ok = fsync(fd) == 0 && ok;
  ok = close(fd) == 0 && ok;
  if (!ok) {
    unlink(path.c_str());
    throw std::runtime_error("cannot write " + path);
  }
}

// keygen --age: an identity file in age-keygen's format, which `age -d -i FILE` reads. It is
// not encrypted (neither is age-keygen's), so only its mode protects it.
int run_age_keygen(const Arguments& args) {
  auto path = args.value("--output");
  if (!path || path->empty()) throw UsageError("-o FILE is required (the identity file to write)");
  if (!args.positionals().empty()) throw UsageError("keygen takes no positional arguments");
  if (args.value("--password-file") || args.flag("--no-password"))
    throw UsageError(
        "--age writes an age identity file, which has no password (like "
        "age-keygen's); --password-file and --no-password are for publisher keys");
  const crypto::AgeIdentity identity = crypto::generate_age_identity();
  char created[32];
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &utc);
  std::string text = crypto::format_age_identity_file(identity, created);
  try {
    write_new_file(*path, text, 0600, args.flag("--force"));
  } catch (...) {
    std::fill(text.begin(), text.end(), '\0');
    throw;
  }
  std::fill(text.begin(), text.end(), '\0');
  const std::string recipient = identity.recipient().text();
  if (args.flag("--json")) {
    nlohmann::ordered_json out;
    out["identityFile"] = *path;
    out["recipient"] = recipient;
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << "age identity: " << *path << " (mode 0600)\n"
              << "public key: " << recipient << "\n";
  }
  return kOk;
}

}  // namespace

int run_keygen(const Arguments& args) {
  if (args.flag("--age")) return run_age_keygen(args);
  auto name = args.value("--output");
  if (!name || name->empty())
    throw UsageError("-o NAME is required (writes NAME.key and NAME.pub)");
  if (!args.positionals().empty()) throw UsageError("keygen takes no positional arguments");
  bool no_password = args.flag("--no-password");
  auto password_file = args.value("--password-file");
  if (no_password && password_file)
    throw UsageError("--no-password and --password-file exclude each other");
  std::optional<std::string> password;
  if (password_file)
    password = read_password_file(*password_file);
  else if (!no_password)
    password = prompt_password("Password for the new secret key: ", true,
                               "pass --password-file F, or --no-password for an unencrypted key");

  bool force = args.flag("--force");
  std::string secret_path = *name + ".key", public_path = *name + ".pub";
  if (!force)
    for (const auto& path : {secret_path, public_path})
      if (access(path.c_str(), F_OK) == 0)
        throw std::runtime_error(path + " already exists; pass --force to replace it");

  package::KeyPair pair = package::generate_key_pair();
  write_new_file(secret_path, package::format_secret_key(pair.secret, password), 0600, force);
  write_new_file(public_path, package::format_public_key(pair.public_key), 0644, force);

  std::string id = package::key_id_hex(pair.public_key.id);
  if (args.flag("--json")) {
    nlohmann::ordered_json out;
    out["keyId"] = id;
    out["secretKey"] = secret_path;
    out["publicKey"] = public_path;
    out["encrypted"] = password.has_value();
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << "key id " << id << "\n"
              << "secret key: " << secret_path << " (mode 0600"
              << (password ? ", password-protected" : ", NOT password-protected") << ")\n"
              << "public key: " << public_path << " (give it to installers: --trust " << public_path
              << ")\n";
  }
  return kOk;
}

}  // namespace migpkg::cli
