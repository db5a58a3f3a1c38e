#pragma once
// age's header (c2sp.org/age, "Header"):
//   age-encryption.org/v1
//   -> TYPE ARG...            one line per stanza (arguments: printable ASCII, no spaces)
//   BODY                      unpadded standard base64 in 64-column lines; the last line is
//                             shorter than 64 (empty when the body is a multiple of 48 bytes)
//   --- MAC                   base64 of HMAC-SHA256(HKDF(file key, "header"), header up to
//                             and including "---")
// Parsing is strict (age's rules: canonical base64, no padding, LF line ends) and bounded: a
// header over kMaxAgeHeaderBytes or with more than kMaxAgeStanzas stanzas is refused.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace migpkg::crypto {

inline constexpr std::size_t kMaxAgeHeaderBytes = 1 << 20;
inline constexpr std::size_t kMaxAgeStanzas = 4096;
inline constexpr std::string_view kAgeVersionLine = "age-encryption.org/v1";

struct AgeStanza {
  std::vector<std::string> args;  // args[0] is the type ("X25519", "scrypt", ...)
  std::vector<unsigned char> body;
  const std::string& type() const { return args.front(); }
};

struct AgeHeader {
  std::vector<AgeStanza> stanzas;
  std::string mac_input;  // the header's bytes up to and including "---"
  std::array<unsigned char, 32> mac{};
};

std::string age_base64_encode(const unsigned char* data, std::size_t size);
// Unpadded, canonical; false for anything else.
bool age_base64_decode(std::string_view text, std::vector<unsigned char>& out);

// The header up to and including "---" (the MAC's input).
std::string format_age_header_without_mac(const std::vector<AgeStanza>& stanzas);

// `text` is the header through the MAC line's '\n'. Throws AgeError (malformed) naming the line.
AgeHeader parse_age_header(std::string_view text);

// Where the header (through the MAC line's '\n') ends in `bytes`, or npos when it does not end
// there yet. Throws AgeError (malformed) as soon as `bytes` cannot start an age header.
std::size_t find_age_header_end(std::string_view bytes);

}  // namespace migpkg::crypto
