#include "runtime/crypto/age_header.hpp"

#include <sodium.h>

#include <algorithm>

#include "runtime/crypto/age_error.hpp"
#include "runtime/crypto/secret_buffer.hpp"

namespace migpkg::crypto {
namespace {

constexpr std::size_t kColumns = 64;

AgeError malformed(const std::string& message) {
  return AgeError(AgeFailure::malformed, "not a valid age header: " + message);
}

bool is_argument(std::string_view arg) {
  if (arg.empty()) return false;
  for (const char c : arg) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

std::vector<std::string> split_arguments(std::string_view text, int line) {
  std::vector<std::string> args;
  std::size_t start = 0;
  while (true) {
    const std::size_t space = text.find(' ', start);
    const std::string_view arg = text.substr(
        start, space == std::string_view::npos ? std::string_view::npos : space - start);
    if (!is_argument(arg))
      throw malformed("line " + std::to_string(line) +
                      ": a stanza argument is empty or not printable ASCII");
    args.emplace_back(arg);
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  return args;
}

}  // namespace

std::string age_base64_encode(const unsigned char* data, std::size_t size) {
  ensure_sodium();
  constexpr int kVariant = sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
  std::string out(sodium_base64_encoded_len(size, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, kVariant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

bool age_base64_decode(std::string_view text, std::vector<unsigned char>& out) {
  ensure_sodium();
  // libsodium refuses non-zero leftover bits and, without an ignore set, any '=' or other byte.
  out.assign(text.size() * 3 / 4 + 3, 0);
  std::size_t written = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &written, &end,
                        sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return false;
  }
  out.resize(written);
  return true;
}

std::string format_age_header_without_mac(const std::vector<AgeStanza>& stanzas) {
  std::string out(kAgeVersionLine);
  out += '\n';
  for (const AgeStanza& stanza : stanzas) {
    out += "->";
    for (const std::string& arg : stanza.args) out += ' ' + arg;
    out += '\n';
    const std::string body = age_base64_encode(stanza.body.data(), stanza.body.size());
    std::size_t at = 0;
    for (; body.size() - at >= kColumns; at += kColumns) out += body.substr(at, kColumns) + '\n';
    out += body.substr(at) + '\n';  // always a final line shorter than 64, maybe empty
  }
  out += "---";
  return out;
}

std::size_t find_age_header_end(std::string_view bytes) {
  const std::string expected = std::string(kAgeVersionLine) + "\n";
  if (bytes.compare(0, std::min(bytes.size(), expected.size()), expected, 0,
                    std::min(bytes.size(), expected.size())) != 0) {
    throw AgeError(AgeFailure::malformed,
                   "not an age file: it does not start with \"age-encryption.org/v1\"");
  }
  for (std::size_t at = 0; at < bytes.size();) {
    const std::size_t end = bytes.find('\n', at);
    if (end == std::string_view::npos) break;
    if (bytes.compare(at, 3, "---") == 0) return end + 1;
    at = end + 1;
  }
  if (bytes.size() > kMaxAgeHeaderBytes)
    throw malformed("no MAC line (---) within the first 1 MiB (our bound on a header's size)");
  return std::string_view::npos;
}

AgeHeader parse_age_header(std::string_view text) {
  if (text.size() > kMaxAgeHeaderBytes)
    throw malformed("the header is larger than 1 MiB (our bound)");
  AgeHeader header;
  std::size_t at = 0;
  int number = 0;
  auto next_line = [&]() -> std::string_view {
    const std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos)
      throw malformed("the header ends inside line " + std::to_string(number + 1));
    const std::string_view line = text.substr(at, end - at);
    at = end + 1;
    ++number;
    return line;
  };
  if (next_line() != kAgeVersionLine)
    throw AgeError(AgeFailure::malformed,
                   "not an age file: its first line is not \"age-encryption.org/v1\"");
  while (true) {
    const std::size_t line_start = at;
    const std::string_view line = next_line();
    if (line.rfind("---", 0) == 0) {
      if (line.size() < 4 || line[3] != ' ')
        throw malformed("line " + std::to_string(number) + ": the MAC line is not \"--- MAC\"");
      std::vector<unsigned char> mac;
      if (!age_base64_decode(line.substr(4), mac) || mac.size() != 32)
        throw malformed("line " + std::to_string(number) +
                        ": the MAC is not 32 bytes of unpadded base64");
      std::copy(mac.begin(), mac.end(), header.mac.begin());
      header.mac_input = std::string(text.substr(0, line_start + 3));
      break;
    }
    if (line.rfind("-> ", 0) != 0)
      throw malformed("line " + std::to_string(number) +
                      ": expected a stanza (\"-> TYPE ...\") or the MAC line (\"--- ...\")");
    if (header.stanzas.size() == kMaxAgeStanzas)
      throw malformed("more than " + std::to_string(kMaxAgeStanzas) + " stanzas (our bound)");
    AgeStanza stanza;
    stanza.args = split_arguments(line.substr(3), number);
    std::string body;
    while (true) {
      const std::string_view body_line = next_line();
      if (body_line.size() > kColumns)
        throw malformed("line " + std::to_string(number) +
                        ": a stanza body line is longer than 64 columns");
      body += body_line;
      if (body_line.size() < kColumns) break;
    }
    if (!age_base64_decode(body, stanza.body))
      throw malformed("the body of the " + stanza.type() + " stanza ending on line " +
                      std::to_string(number) + " is not canonical unpadded base64");
    header.stanzas.push_back(std::move(stanza));
  }
  if (at != text.size()) throw malformed("bytes after the MAC line inside the header");
  if (header.stanzas.empty()) throw malformed("no stanza before the MAC line");
  return header;
}

}  // namespace migpkg::crypto
