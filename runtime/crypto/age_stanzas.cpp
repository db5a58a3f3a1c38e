#include "runtime/crypto/age_stanzas.hpp"

#include <sodium.h>

#include <algorithm>

#include "runtime/crypto/age_error.hpp"
#include "runtime/crypto/hkdf_sha256.hpp"

namespace migpkg::crypto {
namespace {

constexpr char kX25519Info[] = "age-encryption.org/v1/X25519";
constexpr char kScryptLabel[] = "age-encryption.org/v1/scrypt";
constexpr std::size_t kWrappedBytes = kAgeFileKeyBytes + crypto_aead_chacha20poly1305_ietf_ABYTES;

AgeError malformed(const std::string& message) {
  return AgeError(AgeFailure::malformed, message);
}

std::vector<unsigned char> seal(const SecretBuffer& wrap_key, const SecretBuffer& file_key) {
  const unsigned char nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {};
  std::vector<unsigned char> body(kWrappedBytes);
  crypto_aead_chacha20poly1305_ietf_encrypt(body.data(), nullptr, file_key.data(), file_key.size(),
                                            nullptr, 0, nullptr, nonce, wrap_key.data());
  return body;
}

std::optional<SecretBuffer> open(const SecretBuffer& wrap_key,
                                 const std::vector<unsigned char>& body) {
  const unsigned char nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {};
  SecretBuffer file_key(kAgeFileKeyBytes);
  if (crypto_aead_chacha20poly1305_ietf_decrypt(file_key.data(), nullptr, nullptr, body.data(),
                                                body.size(), nullptr, 0, nonce,
                                                wrap_key.data()) != 0) {
    return std::nullopt;
  }
  return file_key;
}

SecretBuffer x25519_wrap_key(const unsigned char* shared, const unsigned char* share,
                             const unsigned char* recipient) {
  unsigned char salt[64];
  std::copy(share, share + 32, salt);
  std::copy(recipient, recipient + 32, salt + 32);
  SecretBuffer key(32);
  hkdf_sha256(shared, 32, salt, sizeof salt, kX25519Info, key.data(), key.size());
  return key;
}

SecretBuffer scrypt_wrap_key(const SecretBuffer& passphrase, const unsigned char* salt16,
                             int work_factor) {
  std::string salt(kScryptLabel);
  salt.append(reinterpret_cast<const char*>(salt16), 16);
  SecretBuffer key(32);
  if (crypto_pwhash_scryptsalsa208sha256_ll(
          passphrase.data(), passphrase.size(), reinterpret_cast<const unsigned char*>(salt.data()),
          salt.size(), std::uint64_t{1} << work_factor, 8, 1, key.data(), key.size()) != 0) {
    throw AgeError(AgeFailure::malformed, "scrypt failed (work factor " +
                                              std::to_string(work_factor) + ": out of memory?)");
  }
  return key;
}

}  // namespace

AgeStanza wrap_x25519(const AgeRecipient& recipient, const SecretBuffer& file_key) {
  SecretBuffer ephemeral(32);
  randombytes_buf(ephemeral.data(), ephemeral.size());
  unsigned char share[32];
  crypto_scalarmult_base(share, ephemeral.data());
  SecretBuffer shared(32);
  if (crypto_scalarmult(shared.data(), ephemeral.data(), recipient.key.data()) != 0)
    throw AgeError(AgeFailure::key_file,
                   "the recipient " + recipient.text() + " is a low-order point");
  AgeStanza stanza;
  stanza.args = {"X25519", age_base64_encode(share, sizeof share)};
  stanza.body = seal(x25519_wrap_key(shared.data(), share, recipient.key.data()), file_key);
  return stanza;
}

std::optional<SecretBuffer> unwrap_x25519(const AgeStanza& stanza, const AgeIdentity& identity) {
  std::vector<unsigned char> share;
  if (stanza.args.size() != 2 || !age_base64_decode(stanza.args[1], share) || share.size() != 32)
    throw malformed("a malformed X25519 stanza: its argument must be a 32-byte share");
  if (stanza.body.size() != kWrappedBytes)
    throw malformed("a malformed X25519 stanza: its body must be 32 bytes");
  SecretBuffer shared(32);
  if (crypto_scalarmult(shared.data(), identity.secret().data(), share.data()) != 0)
    throw malformed("a malformed X25519 stanza: its share is a low-order point");
  const AgeRecipient ours = identity.recipient();
  return open(x25519_wrap_key(shared.data(), share.data(), ours.key.data()), stanza.body);
}

AgeStanza wrap_scrypt(const SecretBuffer& passphrase, int work_factor,
                      const SecretBuffer& file_key) {
  if (work_factor < 1 || work_factor > kAgeMaxWorkFactor)
    throw malformed("the scrypt work factor must be 1 to " + std::to_string(kAgeMaxWorkFactor));
  unsigned char salt[16];
  randombytes_buf(salt, sizeof salt);
  AgeStanza stanza;
  stanza.args = {"scrypt", age_base64_encode(salt, sizeof salt), std::to_string(work_factor)};
  stanza.body = seal(scrypt_wrap_key(passphrase, salt, work_factor), file_key);
  return stanza;
}

std::optional<SecretBuffer> unwrap_scrypt(const AgeStanza& stanza, const SecretBuffer& passphrase,
                                          int max_work_factor) {
  std::vector<unsigned char> salt;
  if (stanza.args.size() != 3 || !age_base64_decode(stanza.args[1], salt) || salt.size() != 16)
    throw malformed("a malformed scrypt stanza: it needs a 16-byte salt and a work factor");
  const std::string& factor = stanza.args[2];
  // Decimal without leading zeros, as age requires.
  if (factor.empty() || factor.size() > 2 || factor[0] == '0' ||
      !std::all_of(factor.begin(), factor.end(), [](char c) { return c >= '0' && c <= '9'; }))
    throw malformed("a malformed scrypt stanza: work factor \"" + factor + "\"");
  const int work_factor = std::stoi(factor);
  if (work_factor > max_work_factor)
    throw malformed("the scrypt work factor " + factor + " is over our limit of " +
                    std::to_string(max_work_factor) + " (2^" + factor +
                    " iterations would take too long or too much memory)");
  if (stanza.body.size() != kWrappedBytes)
    throw malformed("a malformed scrypt stanza: its body must be 32 bytes");
  return open(scrypt_wrap_key(passphrase, salt.data(), work_factor), stanza.body);
}

}  // namespace migpkg::crypto
