#pragma once
// age's native X25519 keys and the files that hold them:
//   recipient   "age1" + bech32(public key)              (lower case, as age prints it)
//   identity    "AGE-SECRET-KEY-1" + bech32(secret key)  (upper case, as age-keygen writes it)
//   identity file    age-keygen's: "# created: ...", "# public key: age1...", the identity;
//                    any number of identities, '#' comments and blank lines
//   recipients file  one recipient per line, '#' comments and blank lines
// Secret keys live in sodium_malloc memory (SecretBuffer); files are read with a size bound.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/crypto/secret_buffer.hpp"

namespace migpkg::crypto {

struct AgeRecipient {
  std::array<unsigned char, 32> key{};
  std::string text() const;  // age1...
};

class AgeIdentity {
 public:
  AgeIdentity();
  SecretBuffer& secret() { return secret_; }
  const SecretBuffer& secret() const { return secret_; }
  AgeRecipient recipient() const;
  std::string text() const;  // AGE-SECRET-KEY-1...

 private:
  SecretBuffer secret_;
};

AgeIdentity generate_age_identity();
// `where` names the source in the message of an AgeError (key_file).
AgeRecipient parse_age_recipient(std::string_view text, const std::string& where);
AgeIdentity parse_age_identity(std::string_view text, const std::string& where);

// age-keygen's file: `created` is an RFC 3339 UTC time.
std::string format_age_identity_file(const AgeIdentity& identity, const std::string& created);

// Files of at most 1 MiB; an error names the file and line. A file with no key is refused.
std::vector<AgeIdentity> read_age_identity_file(const std::string& path);
std::vector<AgeRecipient> read_age_recipients_file(const std::string& path);

}  // namespace migpkg::crypto
