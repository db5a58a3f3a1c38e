#pragma once
// What can go wrong reading or writing a package, classified by the exit code it earns:
// an archive that cannot be read at all is "malformed" (exit 1); everything a package is refused
// for on purpose (signature, trust, hashes, limits, hostile entries, downgrade) is a "refusal"
// (exit 3, like any signature or trust failure).
#include <stdexcept>
#include <string>

namespace migpkg::package {

enum class PackageErrorKind { Malformed, Refused };

class PackageError : public std::runtime_error {
 public:
  PackageError(PackageErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  PackageErrorKind kind() const { return kind_; }

 private:
  PackageErrorKind kind_;
};

[[noreturn]] inline void refuse(const std::string& message) {
  throw PackageError(PackageErrorKind::Refused, message);
}
[[noreturn]] inline void malformed(const std::string& message) {
  throw PackageError(PackageErrorKind::Malformed, message);
}

}  // namespace migpkg::package
