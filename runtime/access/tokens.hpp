#pragma once
// The API tokens of `migpkg serve` (docs/serve.md): a JSON file of names, roles and SHA-256
// hashes, written by `migpkg token`. The token itself (32 random bytes, hex) is shown once when
// it is made and stored nowhere; a request's token is hashed and compared with every stored hash
// in constant time, so neither the time nor the order of the file says which bytes were right.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace migpkg::access {

enum class Role { viewer = 0, operator_ = 1, admin = 2 };
std::string to_string(Role role);
std::optional<Role> parse_role(const std::string& text);
// Whether `held` may do what `needed` may: admin > operator > viewer.
inline bool allows(Role held, Role needed) {
  return static_cast<int>(held) >= static_cast<int>(needed);
}

using TokenHash = std::array<unsigned char, 32>;

struct TokenEntry {
  std::string name;
  Role role = Role::viewer;
  TokenHash sha256{};
  std::string created_at;  // RFC 3339 UTC
};

class TokenFile {
 public:
  // A missing file reads as no tokens. A file that does not parse, an unknown role, a bad hash
  // or a file that others may write is refused (std::runtime_error naming the file and what).
  static TokenFile load(const std::string& path);
  // Written through a temporary file and a rename, mode 0600.
  void save(const std::string& path) const;

  // Adds a token and returns it (the only time it exists in clear). Throws on a bad or taken name.
  std::string add(const std::string& name, Role role);
  bool remove(const std::string& name);
  const std::vector<TokenEntry>& entries() const { return entries_; }

  // The entry whose hash the presented token's hash equals, comparing with every entry in
  // constant time (crypto_verify_32) whatever matches and where.
  std::optional<TokenEntry> match(const std::string& presented) const;

 private:
  std::vector<TokenEntry> entries_;
};

// Names: 1 to 64 of A-Z a-z 0-9 . _ - (they appear in the audit log and in applied_by).
bool valid_token_name(const std::string& name);
// The largest token file read (a file of a few hundred tokens is a few tens of KiB).
inline constexpr std::size_t kMaxTokenFileBytes = 1 << 20;

}  // namespace migpkg::access
