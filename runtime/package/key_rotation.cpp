#include "runtime/package/key_rotation.hpp"

#include <nlohmann/json.hpp>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/json/json_document.hpp"
#include "runtime/package/package_error.hpp"
#include "runtime/package/strict_object.hpp"
#include "runtime/package/utc_time.hpp"

namespace migpkg::package {
namespace {

// The base64 key line of a public key file (its second line).
std::string key_line(const PublicKey& key) {
  std::string text = format_public_key(key);
  auto first = text.find('\n');
  auto second = text.find('\n', first + 1);
  return text.substr(first + 1, second - first - 1);
}

}  // namespace

std::optional<KeyId> parse_key_id_hex(const std::string& text) {
  if (text.size() != 16) return std::nullopt;
  KeyId id{};
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < 8; ++i) {
    int high = nibble(text[2 * i]), low = nibble(text[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    id[7 - i] = static_cast<unsigned char>(high * 16 + low);
  }
  return id;
}

std::string rotation_trusted_comment(const KeyId& old_key, const KeyId& new_key) {
  return "migpkg rotation old:" + key_id_hex(old_key) + " new:" + key_id_hex(new_key);
}

RotationFiles make_rotation_statement(const SecretKey& old_key, const PublicKey& new_key,
                                      std::int64_t now, const std::string& note) {
  if (old_key.id == new_key.id)
    throw KeyError("the new key has the old key's id " + key_id_hex(old_key.id) +
                   ": a rotation names two different keys");
  nlohmann::ordered_json j;
  j["format"] = kRotationFormat;
  j["oldKeyId"] = key_id_hex(old_key.id);
  j["newKeyId"] = key_id_hex(new_key.id);
  j["newPublicKey"] = key_line(new_key);
  j["date"] = format_utc(now);
  if (!note.empty()) j["note"] = note;
  RotationFiles files;
  files.statement = j.dump(2) + "\n";
  if (files.statement.size() > kMaxRotationBytes)
    throw KeyError("the rotation statement would be larger than " +
                   std::to_string(kMaxRotationBytes) + " bytes (shorten the note)");
  files.signature =
      sign_message(old_key, files.statement, rotation_trusted_comment(old_key.id, new_key.id));
  return files;
}

RotationStatement parse_rotation_statement(const std::string& text,
                                           const std::string& signature_text,
                                           const std::string& source) {
  if (text.size() > kMaxRotationBytes || signature_text.size() > kMaxRotationBytes)
    refuse(source + ": a rotation statement or its signature is larger than " +
           std::to_string(kMaxRotationBytes) + " bytes");
  Signature signature;
  try {
    signature = parse_signature(signature_text, source + ".minisig");
  } catch (const KeyError& e) {
    refuse(e.what());
  }
  Diagnostics diagnostics;
  auto document = parse_json_text(text, source, diagnostics);
  if (!document) {
    std::string first = diagnostics.items().empty() ? "" : diagnostics.items()[0].message;
    refuse(source + ": not a valid rotation statement: " + first);
  }
  StrictObject root(*document, "", source, "rotation statement");
  if (root.text("format") != kRotationFormat)
    root.fail("/format", std::string("unsupported format (expected ") + kRotationFormat + ")");
  RotationStatement s;
  s.source = source;
  s.text = text;
  s.signature_text = signature_text;
  auto old_id = parse_key_id_hex(root.text("oldKeyId", 16));
  if (!old_id) root.fail("/oldKeyId", "expected 16 upper-case hex digits");
  s.old_key_id = *old_id;
  std::string new_id_text = root.text("newKeyId", 16);
  auto new_id = parse_key_id_hex(new_id_text);
  if (!new_id) root.fail("/newKeyId", "expected 16 upper-case hex digits");
  try {
    s.new_key = parse_public_key(
        "untrusted comment: new key\n" + root.text("newPublicKey", 64) + "\n", source);
  } catch (const KeyError& e) {
    root.fail("/newPublicKey", e.what());
  }
  if (s.new_key.id != *new_id)
    root.fail("/newPublicKey", "holds key " + key_id_hex(s.new_key.id) + ", not " + new_id_text);
  if (s.new_key.id == s.old_key_id) root.fail("/newKeyId", "the same key as /oldKeyId");
  s.date = root.text("date", 64);
  if (!parse_utc(s.date))
    root.fail("/date", "expected an RFC 3339 UTC time (2026-12-06T14:30:00Z)");
  if (root.has("note")) s.note = root.text("note", 1024);
  root.no_unknown_members();
  if (signature.key_id != s.old_key_id)
    refuse(source + ": the statement vouches for key " + key_id_hex(s.new_key.id) +
           " in the name of key " + key_id_hex(s.old_key_id) + " but is signed by key " +
           key_id_hex(signature.key_id) + "; only the old key can vouch for its successor");
  if (signature.trusted_comment != rotation_trusted_comment(s.old_key_id, s.new_key.id))
    refuse(source + ": the signature's trusted comment '" + signature.trusted_comment +
           "' does not name this rotation (expected '" +
           rotation_trusted_comment(s.old_key_id, s.new_key.id) + "')");
  return s;
}

void verify_rotation_statement(const RotationStatement& statement, const PublicKey& old_key) {
  try {
    verify_signature(old_key, parse_signature(statement.signature_text, statement.source),
                     statement.text);
  } catch (const KeyError& e) {
    refuse(statement.source + ": rotation statement " + key_id_hex(statement.old_key_id) + " -> " +
           key_id_hex(statement.new_key.id) + " is not signed by the old key " +
           key_id_hex(old_key.id) + " (" + old_key.source + "): " + e.what() +
           "; refusing a forged rotation");
  }
}

std::string rotation_day(const RotationStatement& statement) {
  return statement.date.substr(0, 10);
}

}  // namespace migpkg::package
