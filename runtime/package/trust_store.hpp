#pragma once
// The publisher keys an installer trusts: one minisign public-key file, or a directory of them
// (every "*.pub" in it; other files are ignored). Without --trust, the default directory is
// $XDG_CONFIG_HOME/migpkg/trust, else ~/.config/migpkg/trust (docs/trust.md).
// Keys are looked up by key id; two files with the same id but different keys are refused.
#include <optional>
#include <string>
#include <vector>

#include "runtime/package/minisign.hpp"

namespace migpkg::package {

class TrustStore {
 public:
  // Loads a .pub file or a directory of them. Refuses (PackageError) a missing path, an
  // unreadable or malformed key file, or a directory without keys.
  static TrustStore load(const std::string& path);
  // A store holding just these keys (pack checks its own output against the signing key).
  static TrustStore of(std::vector<PublicKey> keys, std::string origin);

  const PublicKey* find(const KeyId& id) const;
  const std::vector<PublicKey>& keys() const { return keys_; }
  const std::string& origin() const { return origin_; }
  // "ABCD... (alice.pub), ..." for messages.
  std::string describe() const;

 private:
  std::vector<PublicKey> keys_;
  std::string origin_;
};

// The default trust directory (may not exist); empty when neither XDG_CONFIG_HOME nor HOME is set.
std::string default_trust_directory();

// --trust when given, else the default directory.
std::string trust_location(const std::optional<std::string>& option);

}  // namespace migpkg::package
