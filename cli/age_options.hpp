#pragma once
// The age keys a command is given: recipients (-r / --encrypt-to age1..., repeatable; a
// recipients file) or a passphrase file to encrypt; identity files or a passphrase file to
// decrypt. A missing or contradictory choice is a UsageError (exit 2); an unreadable or bad key
// file is an AgeError (key_file).
#include <string>

#include "cli/arguments.hpp"
#include "runtime/crypto/age_stream.hpp"

namespace migpkg::cli {

struct AgeEncryptOptions {
  std::string recipient;        // "--recipient" or "--encrypt-to" (repeatable)
  std::string recipients_file;  // "--recipients-file" (repeatable)
  std::string passphrase_file = "--passphrase-file";
};

// Whether any of the options was given.
bool wants_age_encryption(const Arguments& args, const AgeEncryptOptions& names);
crypto::AgeEncryptTo age_encrypt_to(const Arguments& args, const AgeEncryptOptions& names);

// `--identity F` (repeatable) or `--passphrase-file F`; `what` names the input in the message
// when neither is given.
crypto::AgeDecryptWith age_decrypt_with(const Arguments& args, const std::string& what);

// How a report names who can decrypt, never a secret: "2 recipients" or "a passphrase".
std::string describe_age_encryption(const crypto::AgeEncryptTo& to);

}  // namespace migpkg::cli
