#pragma once
// The publisher keys an installer trusts: one minisign public-key file, or a directory of them
// (every "*.pub" in it; other files are ignored). Without --trust, the default directory is
// $XDG_CONFIG_HOME/migpkg/trust, else ~/.config/migpkg/trust (docs/trust.md).
// Keys are looked up by key id; two files with the same id but different keys are refused.
//
// Key rotation: a directory's "*.rotation" statements (with their ".rotation.minisig"), and the
// statements a verified registry index ships (accept_rotations), extend the store with the new
// keys they vouch for, when the statement's old key is trusted (directly or through a chain of
// at most kMaxRotationChain statements) and its signature by that old key verifies. A statement
// whose old key is trusted but whose signature does not verify is refused (a forgery); one whose
// old key is not trusted is unused.
#include <optional>
#include <string>
#include <vector>

#include "runtime/package/key_rotation.hpp"
#include "runtime/package/minisign.hpp"

namespace migpkg::package {

inline constexpr std::size_t kMaxRotationChain = 4;

// One statement of a chain: `old_key` vouched for `new_key` on `date` (in `source`).
struct TrustLink {
  KeyId old_key{}, new_key{};
  std::string date, source;
};

class TrustStore {
 public:
  // Loads a .pub file or a directory of them. Refuses (PackageError) a missing path, an
  // unreadable or malformed key file, or a directory without keys.
  static TrustStore load(const std::string& path);
  // A store holding just these keys (pack checks its own output against the signing key).
  static TrustStore of(std::vector<PublicKey> keys, std::string origin);

  // A key trusted directly or accepted through rotation statements; null when neither.
  const PublicKey* find(const KeyId& id) const;
  // The statements (oldest first) through which a key was accepted; empty when it is trusted
  // directly (or not at all).
  std::vector<TrustLink> chain(const KeyId& id) const;
  // "key NEW accepted through rotation statement signed by OLD (2026-12-06)"; "" when direct.
  std::string describe_chain(const KeyId& id) const;
  // The key itself and every older key its chain goes back through, newest first: the ids a
  // revocation of any of them concerns. The last one is the directly trusted key.
  std::vector<KeyId> keys_behind(const KeyId& id) const;
  // Adds statements (a verified index's) and the keys they vouch for. Refuses a forged one.
  void accept_rotations(const std::vector<RotationStatement>& statements);
  const std::vector<PublicKey>& keys() const { return keys_; }
  const std::string& origin() const { return origin_; }
  // "ABCD... (alice.pub), ..." for messages.
  std::string describe() const;

 private:
  struct RotatedKey {
    PublicKey key;  // source: the statement that vouched for it
    std::vector<TrustLink> chain;
  };
  const RotatedKey* rotated(const KeyId& id) const;

  std::vector<PublicKey> keys_;
  std::vector<RotatedKey> rotated_;
  std::vector<RotationStatement> statements_;
  std::string origin_;
};

// The default trust directory (may not exist); empty when neither XDG_CONFIG_HOME nor HOME is set.
std::string default_trust_directory();

// --trust when given, else the default directory.
std::string trust_location(const std::optional<std::string>& option);

}  // namespace migpkg::package
