#include "cli/failure.hpp"

#include "cli/arguments.hpp"
#include "cli/output.hpp"
#include "runtime/crypto/age_error.hpp"
#include "runtime/drivers/connection.hpp"
#include "runtime/package/package_error.hpp"

namespace migpkg::cli {

Failure describe_failure(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const UsageError& e) {
    return {kUsage, "usage", e.what()};
  } catch (const migpkg::package::PackageError& e) {
    // A refused package is a trust failure (exit 3); an unreadable archive is a failure (1).
    if (e.kind() == migpkg::package::PackageErrorKind::Refused)
      return {kTrust, "refused", std::string("refused: ") + e.what()};
    return {kFailed, "unreadable", std::string("error: ") + e.what()};
  } catch (const migpkg::crypto::AgeError& e) {
    // An age file that does not open or authenticate is refused like an untrusted package
    // (exit 3); a bad identity or recipients file is a usage error (2).
    if (e.kind() == migpkg::crypto::AgeFailure::key_file) return {kUsage, "usage", e.what()};
    return {kTrust, "refused", std::string("refused: ") + e.what()};
  } catch (const migpkg::runtime::LockTimeout& e) {
    // Another connection kept the database locked (at open, or a command without a run
    // report): the same exit as a run that could not get migpkg's run lock.
    return {kLocked, "locked", e.what()};
  } catch (const std::exception& e) {
    return {kFailed, "failed", std::string("error: ") + e.what()};
  } catch (...) {
    return {kFailed, "failed", "error: an unknown failure"};
  }
}

}  // namespace migpkg::cli
