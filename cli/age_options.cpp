#include "cli/age_options.hpp"

#include <sodium.h>

#include "cli/password.hpp"
#include "runtime/crypto/age_keys.hpp"

namespace migpkg::cli {

bool wants_age_encryption(const Arguments& args, const AgeEncryptOptions& names) {
  return !args.all(names.recipient).empty() || !args.all(names.recipients_file).empty() ||
         args.value(names.passphrase_file).has_value();
}

crypto::AgeEncryptTo age_encrypt_to(const Arguments& args, const AgeEncryptOptions& names) {
  crypto::AgeEncryptTo to;
  for (const std::string& text : args.all(names.recipient))
    to.recipients.push_back(crypto::parse_age_recipient(text, names.recipient));
  for (const std::string& file : args.all(names.recipients_file)) {
    for (const auto& recipient : crypto::read_age_recipients_file(file))
      to.recipients.push_back(recipient);
  }
  if (auto file = args.value(names.passphrase_file)) {
    if (!to.recipients.empty())
      throw UsageError(names.passphrase_file + " cannot be combined with recipients (" +
                       names.recipient + ", " + names.recipients_file +
                       "): age allows a passphrase only alone");
    std::string passphrase = read_password_file(*file);
    to.passphrase = crypto::secret_from_string(passphrase);
    sodium_memzero(passphrase.data(), passphrase.size());
  }
  if (to.recipients.empty() && !to.passphrase)
    throw UsageError("say who can decrypt: " + names.recipient + " age1..., " +
                     names.recipients_file + " FILE or " + names.passphrase_file + " FILE");
  return to;
}

crypto::AgeDecryptWith age_decrypt_with(const Arguments& args, const std::string& what) {
  crypto::AgeDecryptWith with;
  for (const std::string& file : args.all("--identity")) {
    for (auto& identity : crypto::read_age_identity_file(file))
      with.identities.push_back(std::move(identity));
  }
  if (auto file = args.value("--passphrase-file")) {
    std::string passphrase = read_password_file(*file);
    with.passphrase = crypto::secret_from_string(passphrase);
    sodium_memzero(passphrase.data(), passphrase.size());
  }
  if (with.identities.empty() && !with.passphrase)
    throw UsageError(what +
                     " is age-encrypted: give --identity FILE (an age identity file) or "
                     "--passphrase-file FILE");
  return with;
}

std::string describe_age_encryption(const crypto::AgeEncryptTo& to) {
  if (to.passphrase) return "a passphrase";
  const std::size_t n = to.recipients.size();
  return std::to_string(n) + (n == 1 ? " recipient" : " recipients");
}

}  // namespace migpkg::cli
