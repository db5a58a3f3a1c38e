#include "runtime/installer/index_inputs.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "runtime/package/package_error.hpp"
#include "runtime/package/trust_store.hpp"
#include "runtime/package/utc_time.hpp"

namespace migpkg::runtime {
namespace {

void require_state_directory(const std::string& trust, bool dry_run) {
  struct stat info {};
  if (trust.empty() || stat(trust.c_str(), &info) != 0)
    package::refuse(
        "--index needs a trust directory, which keeps the highest index version "
        "accepted (index-state/); " +
        (trust.empty() ? std::string("no trust location is set") : trust + " does not exist") +
        ": create it with the registry's .pub key in it, or pass --trust DIR");
  if (!S_ISDIR(info.st_mode))
    package::refuse(
        "--index needs a trust directory, which keeps the highest index version "
        "accepted (index-state/), not the key file " +
        trust + ": pass --trust with the directory that holds it");
  if (dry_run) return;
  std::string state = trust + (trust.back() == '/' ? "" : "/") + "index-state";
  bool state_exists = stat(state.c_str(), &info) == 0;
  const std::string& must_write = state_exists ? state : trust;
  if (access(must_write.c_str(), W_OK | X_OK) != 0)
    package::refuse("the trust directory's index state cannot be written: " + must_write +
                    " is not writable by this user, so a rolled-back index could not be "
                    "refused later; run as the trust directory's owner, or give --trust a "
                    "directory you can write");
}

}  // namespace

ProgramInputs inputs_from_index(const std::string& index_path,
                                const std::vector<std::string>& requirements,
                                const std::optional<std::string>& trust, Diagnostics& diagnostics,
                                bool dry_run, std::optional<IndexInputs>& index) {
  std::string trust_directory = package::trust_location(trust);
  require_state_directory(trust_directory, dry_run);
  package::TrustStore store = package::TrustStore::load(trust_directory);
  IndexInputs in;
  in.trust_directory = trust_directory;
  in.selection = package::select_from_index(index_path, store, trust_directory, requirements,
                                            package::unix_now());
  ProgramInputs inputs;
  inputs.packages = package::load_index_packages(in.selection, store, diagnostics);
  index = std::move(in);
  return inputs;
}

void record_index(const IndexInputs& index) {
  package::record_index_state(index.trust_directory, index.selection, package::unix_now());
}

std::string trust_note(const ProgramInputs& inputs, const IndexInputs* index) {
  std::string note;
  auto add = [&note](const std::string& part) { note += (note.empty() ? "" : "; ") + part; };
  if (index) {
    const auto& s = index->selection;
    add("index " + s.index_path + " version " + std::to_string(s.index.version) +
        " signed by key " + package::key_id_hex(s.signer) +
        (s.signer_chain.empty() ? "" : " (" + s.signer_chain + ")"));
  }
  for (const auto& loaded : inputs.packages)
    if (!loaded.verified.trust_chain.empty())
      add(loaded.verified.manifest.plugin + " " + loaded.verified.manifest.version + ": " +
          loaded.verified.trust_chain);
  return note;
}

}  // namespace migpkg::runtime
