// A package on arbitrary bytes: the archive reader and the verifier, once with a trust store of
// the test key (tests/fuzz/keys/fuzz.pub, which signs the seed packages) and once without one
// (inspect: the signature is not checked, so the fuzzer also reaches the manifest parser and the
// member checks behind it). Refusals are PackageError (runtime/package/package_verifier.hpp);
// any other exception is a finding.
#include "fuzz_targets.hpp"
#include "runtime/package/package_error.hpp"
#include "runtime/package/package_verifier.hpp"

namespace migpkg::fuzz {
namespace {

const char* const kTestPublicKey =
    "untrusted comment: minisign public key 67F393EBC539FC13\n"
    "RWQT/DnF65PzZ2asVhw9cWdUPbGvEI5XWe1P/JeuUdNRQ8jy/F8b6ljj\n";

const package::TrustStore& test_trust() {
  static const package::TrustStore trust = package::TrustStore::of(
      {package::parse_public_key(kTestPublicKey, "fuzz.pub")}, "tests/fuzz/keys/fuzz.pub");
  return trust;
}

void verify(const std::string& bytes, const package::TrustStore* trust) {
  package::VerifyOptions options;
  options.keep = [](const std::string&) { return true; };
  try {
    auto reader = package::ArchiveReader::open_memory(bytes, "fuzz.migpkg", options.limits);
    package::verify_package(*reader, trust, options);
  } catch (const package::PackageError&) {
  }
}

}  // namespace

void fuzz_package_reader(const std::uint8_t* data, std::size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  verify(bytes, &test_trust());
  verify(bytes, nullptr);
}

}  // namespace migpkg::fuzz
