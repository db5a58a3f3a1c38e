// encrypt / decrypt: any file to or from the age format (c2sp.org/age), interchangeable with
// Debian's age. The output appears under its name only once complete (runtime/crypto/age_files).
#include <iostream>

#include "cli/age_options.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "runtime/crypto/age_files.hpp"

namespace migpkg::cli {
namespace {

std::pair<std::string, std::string> input_and_output(const Arguments& args, const char* verb) {
  if (args.positionals().size() != 1) throw UsageError(std::string(verb) + " takes one input file");
  const auto output = args.value("--output");
  if (!output || output->empty()) throw UsageError("-o OUT is required");
  if (*output == args.positionals()[0]) throw UsageError("the output must not be the input");
  return {args.positionals()[0], *output};
}

}  // namespace

int run_encrypt(const Arguments& args) {
  const auto [input, output] = input_and_output(args, "encrypt");
  const AgeEncryptOptions names{"--recipient", "--recipients-file", "--passphrase-file"};
  const crypto::AgeEncryptTo to = age_encrypt_to(args, names);
  const auto result = crypto::encrypt_file(input, output, to, args.flag("--force"));
  std::cerr << "encrypted " << input << " (" << result.plaintext_bytes << " bytes) to " << output
            << " for " << describe_age_encryption(to) << "\n";
  return kOk;
}

int run_decrypt(const Arguments& args) {
  const auto [input, output] = input_and_output(args, "decrypt");
  const crypto::AgeDecryptWith with = age_decrypt_with(args, input);
  const auto result = crypto::decrypt_file(input, output, with, args.flag("--force"));
  std::cerr << "decrypted " << input << " to " << output << " (" << result.plaintext_bytes
            << " bytes, every chunk authenticated)\n";
  return kOk;
}

}  // namespace migpkg::cli
