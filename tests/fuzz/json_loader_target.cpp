// The portable-migration-v1 front end on arbitrary bytes: the bounded JSON parser, the loader
// and the validator. Both report problems as diagnostics (compiler/json/json_document.hpp,
// json_loader.hpp), so nothing is caught here.
#include "compile_program.hpp"
#include "compiler/json/json_document.hpp"
#include "compiler/json/json_loader.hpp"
#include "fuzz_targets.hpp"

namespace migpkg::fuzz {

void fuzz_json_loader(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  const std::string file = "/nonexistent-fuzz-dir/input.json";
  Diagnostics diagnostics;
  auto document = parse_json_text(text, file, diagnostics);
  if (!document) return;
  std::vector<ir::Migration> migrations;
  if (auto migration = load_portable_migration(*document, file, diagnostics))
    migrations.push_back(std::move(*migration));
  validate_migrations(std::move(migrations), diagnostics);
}

}  // namespace migpkg::fuzz
