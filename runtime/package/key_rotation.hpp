#pragma once
// Key rotation statements: a publisher's old key vouching for its new one, so that an installer
// that trusts the old key accepts packages (and indexes) signed by the new one without editing
// its trust directory by hand (docs/trust.md, "Key rotation").
//
//   NAME.rotation          the statement, two-space-indented JSON and a final newline:
//                          {"format": "migpkg-key-rotation-v1", "oldKeyId", "newKeyId",
//                           "newPublicKey" (the key line of NEW.pub), "date" (RFC 3339 UTC),
//                           "note" (optional)}
//   NAME.rotation.minisig  its minisign signature by the OLD key, trusted comment
//                          "migpkg rotation old:<OLD> new:<NEW>", so that
//                          `minisign -V -p OLD.pub -m NAME.rotation` verifies it.
//
// A registry index ships statements too, as {"statement", "signature"} pairs of the same texts.
#include <cstdint>
#include <optional>
#include <string>

#include "runtime/package/minisign.hpp"

namespace migpkg::package {

inline constexpr const char* kRotationFormat = "migpkg-key-rotation-v1";
inline constexpr std::size_t kMaxRotationBytes = 4096;

struct RotationStatement {
  KeyId old_key_id{};
  PublicKey new_key;  // its source is the statement's
  std::string date;   // RFC 3339 UTC
  std::string note;
  std::string text;            // the signed statement bytes
  std::string signature_text;  // the minisign signature file
  std::string source;          // the .rotation file, or "index.json /rotations/N"
};

struct RotationFiles {
  std::string statement, signature;
};

std::string rotation_trusted_comment(const KeyId& old_key, const KeyId& new_key);

// Signs a statement with the old key (the signature is checked before it is returned).
RotationFiles make_rotation_statement(const SecretKey& old_key, const PublicKey& new_key,
                                      std::int64_t now, const std::string& note);

// Strict reading, bounded; the signature's key id must be the statement's old key and its
// trusted comment must name both keys. Does not check the signature itself (that needs the old
// public key: verify_rotation_statement). Refusals throw PackageError naming `source`.
RotationStatement parse_rotation_statement(const std::string& text,
                                           const std::string& signature_text,
                                           const std::string& source);

// Refuses (PackageError) a statement whose signature does not verify with the old key.
void verify_rotation_statement(const RotationStatement& statement, const PublicKey& old_key);

// "2026-12-06": the day of a statement, as messages print it.
std::string rotation_day(const RotationStatement& statement);

// 16 hex digits as key_id_hex prints them back into a key id; nullopt when malformed.
std::optional<KeyId> parse_key_id_hex(const std::string& text);

}  // namespace migpkg::package
