#include <sodium.h>

#include <algorithm>

#include "runtime/crypto/age_error.hpp"
#include "runtime/crypto/age_stream.hpp"
#include "runtime/crypto/hkdf_sha256.hpp"

namespace migpkg::crypto {

SecretBuffer secret_from_string(const std::string& text) {
  SecretBuffer secret(text.size());
  std::copy(text.begin(), text.end(), secret.data());
  return secret;
}

AgeEncryptor::AgeEncryptor(AgeSink sink, const AgeEncryptTo& to)
    : sink_(std::move(sink)), payload_key_(32) {
  if (to.passphrase && !to.recipients.empty())
    throw AgeError(AgeFailure::key_file,
                   "a passphrase cannot be combined with recipients (age allows a passphrase "
                   "(scrypt) stanza only alone)");
  if (!to.passphrase && to.recipients.empty())
    throw AgeError(AgeFailure::key_file, "no recipient and no passphrase to encrypt to");
  SecretBuffer file_key(kAgeFileKeyBytes);
  randombytes_buf(file_key.data(), file_key.size());
  std::vector<AgeStanza> stanzas;
  if (to.passphrase) stanzas.push_back(wrap_scrypt(*to.passphrase, to.work_factor, file_key));
  for (const AgeRecipient& recipient : to.recipients)
    stanzas.push_back(wrap_x25519(recipient, file_key));

  std::string header = format_age_header_without_mac(stanzas);
  SecretBuffer mac_key(32);
  hkdf_sha256(file_key.data(), file_key.size(), nullptr, 0, "header", mac_key.data(),
              mac_key.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(header.data()), header.size(),
                         mac_key.data());
  header += ' ' + age_base64_encode(mac, sizeof mac) + '\n';

  unsigned char nonce[16];
  randombytes_buf(nonce, sizeof nonce);
  hkdf_sha256(file_key.data(), file_key.size(), nonce, sizeof nonce, "payload", payload_key_.data(),
              payload_key_.size());
  sink_(header.data(), header.size());
  sink_(reinterpret_cast<const char*>(nonce), sizeof nonce);
  plain_.reserve(kAgeChunkBytes);
  sealed_.resize(kAgeChunkBytes + crypto_aead_chacha20poly1305_ietf_ABYTES);
}

void AgeEncryptor::write(const char* data, std::size_t size) {
  if (finished_) throw std::logic_error("AgeEncryptor::write after finish");
  while (size > 0) {
    // A full chunk is sealed only once more data shows it is not the last one.
    if (plain_.size() == kAgeChunkBytes) seal_chunk(false);
    const std::size_t take = std::min(kAgeChunkBytes - plain_.size(), size);
    plain_.insert(plain_.end(), data, data + take);
    data += take;
    size -= take;
  }
}

void AgeEncryptor::finish() {
  if (finished_) return;
  seal_chunk(true);
  finished_ = true;
}

void AgeEncryptor::seal_chunk(bool last) {
  unsigned char nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {};
  for (int i = 0; i < 8; ++i) nonce[10 - i] = static_cast<unsigned char>(counter_ >> (8 * i));
  nonce[11] = last ? 1 : 0;
  unsigned long long sealed_size = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(sealed_.data(), &sealed_size, plain_.data(),
                                            plain_.size(), nullptr, 0, nullptr, nonce,
                                            payload_key_.data());
  sink_(reinterpret_cast<const char*>(sealed_.data()), static_cast<std::size_t>(sealed_size));
  plain_.clear();
  ++counter_;
}

}  // namespace migpkg::crypto
