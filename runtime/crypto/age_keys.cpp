#include "runtime/crypto/age_keys.hpp"

#include <sodium.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "runtime/crypto/age_error.hpp"
#include "runtime/crypto/bech32.hpp"

namespace migpkg::crypto {
namespace {

constexpr std::size_t kMaxKeyFileBytes = 1 << 20;

AgeError key_error(const std::string& message) {
  return AgeError(AgeFailure::key_file, message);
}

// Reads the whole file (bounded); the caller wipes it when it holds secrets.
std::string read_key_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw key_error(std::string("cannot read ") + what + " file " + path);
  std::string text;
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxKeyFileBytes) {
      sodium_memzero(text.data(), text.size());
      throw key_error(path + ": " + what + " file larger than 1 MiB");
    }
  }
  return text;
}

// Calls `line_fn(line, number)` for each line that is neither blank nor a '#' comment.
template <typename LineFn>
void for_each_key_line(const std::string& text, LineFn line_fn) {
  std::size_t start = 0;
  int number = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++number;
    std::string_view line(text.data() + start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    start = end + 1;
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    line_fn(line, number);
  }
}

}  // namespace

std::string AgeRecipient::text() const {
  return bech32_encode("age", key.data(), key.size());
}

AgeIdentity::AgeIdentity() : secret_(32) {}

AgeRecipient AgeIdentity::recipient() const {
  AgeRecipient recipient;
  crypto_scalarmult_base(recipient.key.data(), secret_.data());
  return recipient;
}

std::string AgeIdentity::text() const {
  return bech32_encode("AGE-SECRET-KEY-", secret_.data(), secret_.size(), true);
}

AgeIdentity generate_age_identity() {
  AgeIdentity identity;
  randombytes_buf(identity.secret().data(), identity.secret().size());
  return identity;
}

AgeRecipient parse_age_recipient(std::string_view text, const std::string& where) {
  Bech32Data decoded;
  try {
    decoded = bech32_decode(text);
  } catch (const Bech32Error& e) {
    throw key_error(where + ": not an age recipient (" + e.what() + "): " + std::string(text));
  }
  if (decoded.hrp != "age" || decoded.data.size() != 32) {
    throw key_error(
        where + ": not an age X25519 recipient (age1... with a 32-byte key): " + std::string(text));
  }
  for (const char c : text) {
    if (c >= 'A' && c <= 'Z')
      throw key_error(where + ": an age recipient is written in lower case: " + std::string(text));
  }
  AgeRecipient recipient;
  std::copy(decoded.data.begin(), decoded.data.end(), recipient.key.begin());
  return recipient;
}

AgeIdentity parse_age_identity(std::string_view text, const std::string& where) {
  // Never echo the text: it is a secret key.
  Bech32Data decoded;
  try {
    decoded = bech32_decode(text);
  } catch (const Bech32Error& e) {
    throw key_error(where + ": not an age identity (" + e.what() + ")");
  }
  const bool ok = decoded.hrp == "age-secret-key-" && decoded.data.size() == 32;
  AgeIdentity identity;
  if (ok) std::copy(decoded.data.begin(), decoded.data.end(), identity.secret().data());
  sodium_memzero(decoded.data.data(), decoded.data.size());
  if (!ok) {
    throw key_error(where +
                    ": not an age X25519 identity (AGE-SECRET-KEY-1... with a 32-byte key)");
  }
  for (const char c : text) {
    if (c >= 'a' && c <= 'z') throw key_error(where + ": an age identity is written in upper case");
  }
  return identity;
}

std::string format_age_identity_file(const AgeIdentity& identity, const std::string& created) {
  return "# created: " + created + "\n# public key: " + identity.recipient().text() + "\n" +
         identity.text() + "\n";
}

std::vector<AgeIdentity> read_age_identity_file(const std::string& path) {
  std::string text = read_key_file(path, "identity");
  std::vector<AgeIdentity> identities;
  try {
    for_each_key_line(text, [&](std::string_view line, int number) {
      const std::string where = path + ":" + std::to_string(number);
      if (line.rfind("-----BEGIN", 0) == 0 || line.rfind("age-encryption.org/", 0) == 0)
        throw key_error(where + ": an encrypted or armored identity file is not supported");
      identities.push_back(parse_age_identity(line, where));
    });
  } catch (...) {
    sodium_memzero(text.data(), text.size());
    throw;
  }
  sodium_memzero(text.data(), text.size());
  if (identities.empty()) throw key_error(path + ": no identity (AGE-SECRET-KEY-1...) in the file");
  return identities;
}

std::vector<AgeRecipient> read_age_recipients_file(const std::string& path) {
  const std::string text = read_key_file(path, "recipients");
  std::vector<AgeRecipient> recipients;
  for_each_key_line(text, [&](std::string_view line, int number) {
    recipients.push_back(parse_age_recipient(line, path + ":" + std::to_string(number)));
  });
  if (recipients.empty()) throw key_error(path + ": no recipient (age1...) in the file");
  return recipients;
}

}  // namespace migpkg::crypto
