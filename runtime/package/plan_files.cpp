#include "runtime/package/plan_files.hpp"

namespace migpkg::package {

PlanFilesWriter::PlanFilesWriter(const std::string& dialect, std::size_t expected_migrations)
    : json_(dialect, MIGPKG_VERSION, 2, expected_migrations),
      sql_(dialect, MIGPKG_VERSION, PlanDirection::Up, expected_migrations) {}

void PlanFilesWriter::add(const plan::Migration& migration) {
  json_.add(migration);
  sql_.add(migration);
}

PlanFilesWriter::Files PlanFilesWriter::finish() {
  Files files{json_.finish(), sql_.finish()};
  files.json += '\n';
  return files;
}

}  // namespace migpkg::package
