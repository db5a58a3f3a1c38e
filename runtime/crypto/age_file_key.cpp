#include <algorithm>
#include <map>

#include "runtime/crypto/age_error.hpp"
#include "runtime/crypto/age_stream.hpp"

namespace migpkg::crypto {
namespace {

// "X25519 x2, scrypt, unknown-type \"foo\"": what a refusal says the file holds.
std::string describe_stanzas(const std::vector<AgeStanza>& stanzas) {
  std::vector<std::pair<std::string, int>> counts;
  for (const AgeStanza& stanza : stanzas) {
    const bool known = stanza.type() == "X25519" || stanza.type() == "scrypt";
    const std::string name = known ? stanza.type() : "unknown-type \"" + stanza.type() + "\"";
    auto at =
        std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == name; });
    if (at == counts.end())
      counts.emplace_back(name, 1);
    else
      ++at->second;
  }
  std::string out;
  for (const auto& [name, count] : counts) {
    if (!out.empty()) out += ", ";
    out += name;
    if (count > 1) out += " x" + std::to_string(count);
  }
  return out;
}

}  // namespace

SecretBuffer unwrap_file_key(const AgeHeader& header, const AgeDecryptWith& with) {
  const auto& stanzas = header.stanzas;
  const bool has_scrypt = std::any_of(stanzas.begin(), stanzas.end(),
                                      [](const AgeStanza& s) { return s.type() == "scrypt"; });
  if (has_scrypt && stanzas.size() != 1)
    throw AgeError(AgeFailure::malformed,
                   "an scrypt (passphrase) stanza must be the only stanza of an age header; "
                   "this one has " +
                       describe_stanzas(stanzas));
  bool passphrase_tried = false;
  for (const AgeStanza& stanza : stanzas) {
    if (stanza.type() == "X25519") {
      for (const AgeIdentity& identity : with.identities) {
        if (auto key = unwrap_x25519(stanza, identity)) return std::move(*key);
      }
    } else if (stanza.type() == "scrypt" && with.passphrase) {
      passphrase_tried = true;
      if (auto key = unwrap_scrypt(stanza, *with.passphrase, with.max_work_factor))
        return std::move(*key);
    }
    // Other types are for other programs (age's plugins, "grease"): skipped, as age does. The
    // header MAC still covers them.
  }
  if (passphrase_tried)
    throw AgeError(AgeFailure::no_match,
                   "wrong passphrase: the age file's scrypt stanza does not open with it");
  std::string tried;
  if (!with.identities.empty())
    tried = "; tried " + std::to_string(with.identities.size()) + " identit" +
            (with.identities.size() == 1 ? "y" : "ies");
  if (has_scrypt && !with.passphrase)
    throw AgeError(
        AgeFailure::no_match,
        "the age file is encrypted with a passphrase (scrypt), and no passphrase was given");
  throw AgeError(AgeFailure::no_match, "no identity matches: the file's stanzas are " +
                                           describe_stanzas(stanzas) + tried);
}

bool looks_like_age(std::string_view start) {
  constexpr std::string_view kPrefix = "age-encryption.org/";
  if (start.size() >= kPrefix.size()) return start.substr(0, kPrefix.size()) == kPrefix;
  return false;
}

bool looks_like_armored_age(std::string_view start) {
  constexpr std::string_view kBegin = "-----BEGIN AGE ENCRYPTED FILE-----";
  const auto first = start.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return false;
  start.remove_prefix(first);
  return start.size() >= kBegin.size() && start.substr(0, kBegin.size()) == kBegin;
}

}  // namespace migpkg::crypto
