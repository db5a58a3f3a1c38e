#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "runtime/crypto/age_error.hpp"
#include "runtime/crypto/age_stream.hpp"
#include "runtime/crypto/hkdf_sha256.hpp"

namespace migpkg::crypto {
namespace {

constexpr std::size_t kTag = crypto_aead_chacha20poly1305_ietf_ABYTES;
constexpr std::size_t kSealedChunk = kAgeChunkBytes + kTag;

AgeError payload_error(const std::string& message) {
  return AgeError(AgeFailure::authentication, message);
}

bool open_chunk(const unsigned char* sealed, std::size_t size, std::uint64_t counter, bool last,
                const SecretBuffer& key, unsigned char* plain) {
  unsigned char nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES] = {};
  for (int i = 0; i < 8; ++i) nonce[10 - i] = static_cast<unsigned char>(counter >> (8 * i));
  nonce[11] = last ? 1 : 0;
  return crypto_aead_chacha20poly1305_ietf_decrypt(plain, nullptr, nullptr, sealed, size, nullptr,
                                                   0, nonce, key.data()) == 0;
}

}  // namespace

AgeDecryptor::AgeDecryptor(AgeSource source, const AgeDecryptWith& with)
    : source_(std::move(source)), payload_key_(32) {
  std::string bytes;
  std::vector<char> block(64 * 1024);
  std::size_t end = std::string::npos;
  while (true) {
    if (looks_like_armored_age(bytes))
      throw AgeError(AgeFailure::malformed,
                     "an ASCII-armored age file (-----BEGIN AGE ENCRYPTED FILE-----) is not "
                     "supported: remove the armor with `age -d` first, or encrypt without -a");
    end = find_age_header_end(bytes);
    if (end != std::string::npos) break;
    const std::size_t got = source_(block.data(), block.size());
    if (got == 0) {
      throw AgeError(AgeFailure::malformed,
                     bytes.empty() ? "not an age file: it is empty"
                                   : "not a valid age header: the file ends inside the header "
                                     "(truncated?)");
    }
    bytes.append(block.data(), got);
  }
  header_ = parse_age_header(std::string_view(bytes).substr(0, end));
  pending_ = bytes.substr(end);

  const auto mac_verifies = [&](const SecretBuffer& key) {
    SecretBuffer mac_key(32);
    hkdf_sha256(key.data(), key.size(), nullptr, 0, "header", mac_key.data(), mac_key.size());
    return crypto_auth_hmacsha256_verify(
               header_.mac.data(), reinterpret_cast<const unsigned char*>(header_.mac_input.data()),
               header_.mac_input.size(), mac_key.data()) == 0;
  };
  std::optional<SecretBuffer> found;
  if (with.cache && with.cache->key && mac_verifies(*with.cache->key)) {
    found.emplace(with.cache->key->size());
    std::copy(with.cache->key->data(), with.cache->key->data() + found->size(), found->data());
  } else {
    found.emplace(unwrap_file_key(header_, with));
    if (!mac_verifies(*found)) {
      throw AgeError(AgeFailure::authentication,
                     "the age header's MAC does not verify: the header was changed or damaged");
    }
    if (with.cache) {
      with.cache->key.emplace(found->size());
      std::copy(found->data(), found->data() + found->size(), with.cache->key->data());
    }
  }
  const SecretBuffer& file_key = *found;
  unsigned char nonce[16];
  if (fill(nonce, sizeof nonce) != sizeof nonce)
    throw payload_error("the age file ends before its payload's 16-byte nonce (truncated)");
  hkdf_sha256(file_key.data(), file_key.size(), nonce, sizeof nonce, "payload", payload_key_.data(),
              payload_key_.size());
  sealed_.resize(kSealedChunk + 1);  // one byte more tells whether a full chunk is the last
  plain_.resize(kAgeChunkBytes);
}

std::size_t AgeDecryptor::fill(unsigned char* data, std::size_t size) {
  std::size_t done = std::min(size, pending_.size());
  std::memcpy(data, pending_.data(), done);
  pending_.erase(0, done);
  while (done < size) {
    const std::size_t got = source_(reinterpret_cast<char*>(data + done), size - done);
    if (got == 0) break;
    done += got;
  }
  return done;
}

void AgeDecryptor::open_next_chunk() {
  const std::size_t carried = carry_ ? 1 : 0;
  if (carry_) sealed_[0] = carry_byte_;
  const std::size_t size = carried + fill(sealed_.data() + carried, sealed_.size() - carried);
  const std::string chunk = "chunk " + std::to_string(counter_);
  carry_ = false;
  plain_size_ = 0;
  plain_at_ = 0;
  if (size == sealed_.size()) {  // a full chunk and more: not the last
    if (!open_chunk(sealed_.data(), kSealedChunk, counter_, false, payload_key_, plain_.data())) {
      if (open_chunk(sealed_.data(), kSealedChunk, counter_, true, payload_key_, plain_.data()))
        throw payload_error("data after the age file's last chunk (" + chunk + ")");
      throw payload_error(chunk +
                          " of the age payload does not authenticate: the file was "
                          "changed or damaged");
    }
    carry_ = true;
    carry_byte_ = sealed_[kSealedChunk];
    plain_size_ = kAgeChunkBytes;
    ++counter_;
    return;
  }
  if (size == 0)
    throw payload_error("the age file is truncated: it ends before " + chunk +
                        ", and no chunk so far was the last");
  if (size < kTag)
    throw payload_error("the age file is truncated: " + chunk + " is shorter than its tag");
  if (!open_chunk(sealed_.data(), size, counter_, true, payload_key_, plain_.data())) {
    if (size == kSealedChunk &&
        open_chunk(sealed_.data(), size, counter_, false, payload_key_, plain_.data()))
      throw payload_error("the age file is truncated: it ends after " + chunk +
                          ", which is not the last chunk");
    throw payload_error(chunk +
                        " (the last) of the age payload does not authenticate: the "
                        "file was changed, damaged or truncated");
  }
  if (size == kTag && counter_ > 0)
    throw payload_error("the age payload ends with an empty chunk after a full one (" + chunk +
                        "), which age forbids");
  plain_size_ = size - kTag;
  ++counter_;
  done_ = true;
}

std::size_t AgeDecryptor::read(char* data, std::size_t size) {
  while (plain_at_ == plain_size_) {
    if (done_) return 0;
    open_next_chunk();
  }
  const std::size_t take = std::min(size, plain_size_ - plain_at_);
  std::memcpy(data, plain_.data() + plain_at_, take);
  plain_at_ += take;
  return take;
}

std::uint64_t AgeDecryptor::read_to_end() {
  std::uint64_t total = plain_size_ - plain_at_;
  plain_at_ = plain_size_;
  while (!done_) {
    open_next_chunk();
    total += plain_size_;
    plain_at_ = plain_size_;
  }
  return total;
}

}  // namespace migpkg::crypto
