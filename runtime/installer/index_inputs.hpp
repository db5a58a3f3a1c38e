#pragma once
// install/plan --index (and InstallRequest::index of the public API): the inputs are
// PLUGIN[@RANGE] requirements, resolved from a signed
// registry index (runtime/package/index_selection.hpp) against the trust directory, which also
// keeps the highest index version accepted (TRUST/index-state). Everything is verified before
// a database is opened; the state is recorded only once the index and every package passed.
#include <optional>
#include <string>

#include "runtime/installer/program_inputs.hpp"
#include "runtime/package/index_selection.hpp"

namespace migpkg::runtime {

struct IndexInputs {
  package::IndexSelection selection;
  std::string trust_directory;
};

// Refusals throw package::PackageError (exit 3): among them a trust location that is not a
// directory, or (unless `dry_run`) one this user cannot write the index state into.
// `trust`: the trust directory given (unset: the default location).
ProgramInputs inputs_from_index(const std::string& index_path,
                                const std::vector<std::string>& requirements,
                                const std::optional<std::string>& trust, Diagnostics& diagnostics,
                                bool dry_run, std::optional<IndexInputs>& index);

// Call once the run is going ahead (after every refusal a package can earn).
void record_index(const IndexInputs& index);

// For the audit log and the run's progress: the index used, and each package signer trusted
// through rotation statements ("acme.crm 2.0.0: key N accepted through rotation statement
// signed by O (2026-12-06)"); "" when neither applies.
std::string trust_note(const ProgramInputs& inputs, const IndexInputs* index);

}  // namespace migpkg::runtime
