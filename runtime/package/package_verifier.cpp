#include "runtime/package/package_verifier.hpp"

#include <unordered_map>

#include "runtime/package/entry_name.hpp"
#include "runtime/package/file_hash.hpp"
#include "runtime/package/package_error.hpp"

namespace migpkg::package {
namespace {

std::string read_member(ArchiveReader& reader, const char* expected, std::uint64_t max_bytes,
                        const std::string& missing_message) {
  if (!reader.next()) refuse(reader.label() + ": " + missing_message);
  if (reader.name() != expected) {
    if (std::string(expected) == kManifestName)
      refuse(reader.label() + ": not a migpkg package: the first entry is " +
             printable_name(reader.name()) + ", expected manifest.json");
    refuse(reader.label() + ": " + missing_message + " (found " + printable_name(reader.name()) +
           " instead)");
  }
  return reader.read_all(max_bytes);
}

}  // namespace

VerifiedPackage verify_package(ArchiveReader& reader, const TrustStore* trust,
                               const VerifyOptions& options) {
  const std::string& label = reader.label();
  VerifiedPackage result;
  result.manifest_text = read_member(reader, kManifestName, options.limits.max_manifest_bytes,
                                     "empty archive: no manifest.json");
  result.signature_text =
      read_member(reader, kSignatureName, options.limits.max_signature_bytes,
                  "package is not signed: manifest.json.minisig must follow manifest.json");

  Signature signature;
  try {
    signature = parse_signature(result.signature_text, label + ":" + kSignatureName);
  } catch (const KeyError& e) {
    refuse(e.what());
  }
  result.key_id = signature.key_id;
  if (trust) {
    const PublicKey* key = trust->find(signature.key_id);
    if (!key)
      refuse(label + ": signed by key " + key_id_hex(signature.key_id) +
             ", which is not trusted (trusted keys from " + trust->origin() + ": " +
             trust->describe() + ")");
    try {
      verify_signature(*key, signature, result.manifest_text);
    } catch (const KeyError& e) {
      refuse(label + ": " + e.what());
    }
    result.signature_checked = true;
    result.key_source = key->source;
    result.trust_chain = trust->describe_chain(signature.key_id);
  }

  result.manifest = parse_manifest(result.manifest_text, label, options.limits.max_entry_bytes,
                                   options.limits.max_entries);
  const Manifest& m = result.manifest;
  std::string expected_comment = trusted_comment_for(m.plugin, m.version);
  if (signature.trusted_comment != expected_comment)
    refuse(label + ": the manifest names " + m.plugin + " " + m.version +
           " but the signed trusted comment says '" + signature.trusted_comment +
           "'; refusing a relabelled package");

  std::unordered_map<std::string, const ManifestFile*> listed;
  for (const auto& file : m.files) listed[file.path] = &file;
  std::size_t found = 0;
  while (reader.next()) {
    const std::string name = reader.name();
    auto it = listed.find(name);
    if (it == listed.end())
      refuse(label + ": entry " + printable_name(name) +
             " is not listed in the manifest; refusing unlisted files");
    const ManifestFile& file = *it->second;
    if (reader.declared_size() != file.size)
      refuse(label + ": " + name + " is " + std::to_string(reader.declared_size()) +
             " bytes but the manifest says " + std::to_string(file.size));
    FileHasher hasher;
    bool keep = options.keep && options.keep(name);
    std::string content;
    reader.read(
        [&](const char* data, std::size_t size) {
          hasher.update(data, size);
          if (keep) content.append(data, size);
        },
        file.size);
    std::string hash = hasher.hex();
    if (hash != file.hash)
      refuse(label + ": " + name + " does not match the manifest (hash " + hash +
             ", manifest says " + file.hash + "): the file was changed after signing");
    result.member_bytes += file.size;
    if (keep) result.kept.emplace(name, std::move(content));
    ++found;
  }
  if (found != m.files.size())
    for (const auto& file : m.files)
      if (!reader.seen(file.path))
        refuse(label + ": " + file.path +
               " is listed in the manifest but missing from the archive");
  result.entries = reader.entries();
  return result;
}

VerifiedPackage verify_package_file(const std::string& path, const TrustStore* trust,
                                    const VerifyOptions& options) {
  auto reader = ArchiveReader::open_file(path, options.limits);
  return verify_package(*reader, trust, options);
}

}  // namespace migpkg::package
