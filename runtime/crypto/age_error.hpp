#pragma once
// Why an age file or key cannot be used. Every message names what was wrong (file, header line,
// stanza, chunk); the kind lets the command line choose its exit code.
#include <stdexcept>
#include <string>

namespace migpkg::crypto {

enum class AgeFailure {
  malformed,       // not age's format, or a limit of ours exceeded
  no_match,        // no stanza opens with the identities / passphrase given
  authentication,  // the header MAC or a payload chunk does not authenticate
  key_file,        // an identity or recipients file that cannot be read
};

class AgeError : public std::runtime_error {
 public:
  AgeError(AgeFailure kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  AgeFailure kind() const { return kind_; }

 private:
  AgeFailure kind_;
};

}  // namespace migpkg::crypto
