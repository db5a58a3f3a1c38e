// The DSL front end on arbitrary text: syntax, transformation to the IR, validation. The loader
// promises diagnostics and no exception for any input (compiler/dsl/dsl_loader.hpp), so nothing
// is caught here. The file lives in a directory that does not exist, so a `use` of a local
// module reads nothing from disk.
#include "compile_program.hpp"
#include "compiler/dsl/dsl_loader.hpp"
#include "fuzz_targets.hpp"

namespace migpkg::fuzz {

void fuzz_dsl_parser(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  Diagnostics diagnostics;
  auto migrations = dsl::load_dsl_text(text, "/nonexistent-fuzz-dir/input.mig", diagnostics);
  validate_migrations(std::move(migrations), diagnostics);
}

}  // namespace migpkg::fuzz
