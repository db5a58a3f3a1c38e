// An age file on arbitrary bytes: the header parser, the stanzas (X25519 with a fixed identity,
// tests/fuzz/keys/fuzz-age.txt, to which the seed files are encrypted), the MAC and every payload
// chunk to the end. Refusals are AgeError (runtime/crypto/age_error.hpp); any other exception is
// a finding. No passphrase is given, so an scrypt stanza is refused rather than run.
#include <algorithm>
#include <cstring>

#include "fuzz_targets.hpp"
#include "runtime/crypto/age_error.hpp"
#include "runtime/crypto/age_header.hpp"
#include "runtime/crypto/age_keys.hpp"
#include "runtime/crypto/age_stream.hpp"

namespace migpkg::fuzz {
namespace {

const char* const kTestIdentity =
    "AGE-SECRET-KEY-12QS9F6NE3J2D84RDJ7S3W269UDGY9SJJMFP5JP46UYV32F5YLEQS7U4ULY";

const crypto::AgeDecryptWith& test_identity() {
  static const crypto::AgeDecryptWith with = [] {
    crypto::AgeDecryptWith w;
    w.identities.push_back(crypto::parse_age_identity(kTestIdentity, "fuzz-age.txt"));
    return w;
  }();
  return with;
}

}  // namespace

void fuzz_age_decoder(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    std::size_t end = crypto::find_age_header_end(bytes);
    if (end != std::string_view::npos && end <= bytes.size())
      crypto::parse_age_header(bytes.substr(0, end));
  } catch (const crypto::AgeError&) {
  }
  std::size_t at = 0;
  crypto::AgeSource source = [&](char* out, std::size_t want) {
    // Small, uneven reads, so chunk boundaries fall anywhere in the decryptor's buffers.
    std::size_t n = std::min({want, bytes.size() - at, std::size_t{4099}});
    std::memcpy(out, bytes.data() + at, n);
    at += n;
    return n;
  };
  try {
    crypto::AgeDecryptor decryptor(source, test_identity());
    decryptor.read_to_end();
  } catch (const crypto::AgeError&) {
  }
}

}  // namespace migpkg::fuzz
