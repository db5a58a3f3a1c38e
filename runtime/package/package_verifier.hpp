#pragma once
// Verifying a package, in the only order that trusts nothing early:
//   1. the first entry must be manifest.json and the second manifest.json.minisig (both read
//      with small size limits);
//   2. the signature's key id must be in the trust store, and the signature and its trusted
//      comment must verify, before the manifest is parsed at all;
//   3. the manifest is parsed strictly, and its plugin and version must equal the signed
//      trusted comment's;
//   4. every other entry must be listed in the manifest, with the listed size (checked from the
//      header, before reading) and hash; nothing listed may be missing.
// The archive reader enforces its limits and entry rules throughout. Nothing is written to
// disk; the members a caller asks to keep are returned in memory.
#include <functional>
#include <map>
#include <string>

#include "runtime/package/archive_reader.hpp"
#include "runtime/package/manifest.hpp"
#include "runtime/package/minisign.hpp"
#include "runtime/package/trust_store.hpp"

namespace migpkg::package {

struct VerifiedPackage {
  Manifest manifest;
  std::string manifest_text;
  std::string signature_text;
  bool signature_checked = false;  // false only for inspect without a trust store
  KeyId key_id{};
  std::string key_source;  // the trusted .pub file that verified it
  // When the key is trusted through rotation statements: "key NEW accepted through rotation
  // statement signed by OLD (2026-12-06)" (TrustStore::describe_chain); else empty.
  std::string trust_chain;
  std::map<std::string, std::string> kept;  // members asked for by `keep`, by name
  std::uint64_t member_bytes = 0;           // uncompressed bytes of all members
  std::uint64_t entries = 0;
};

struct VerifyOptions {
  ReadLimits limits;
  std::function<bool(const std::string& name)> keep;  // which members to return in memory
};

// `trust` may be null only for `inspect`: then hashes and the trusted comment are still
// checked, but not the signature (and the result says so). Refusals throw PackageError.
VerifiedPackage verify_package(ArchiveReader& reader, const TrustStore* trust,
                               const VerifyOptions& options);

VerifiedPackage verify_package_file(const std::string& path, const TrustStore* trust,
                                    const VerifyOptions& options = {});

}  // namespace migpkg::package
