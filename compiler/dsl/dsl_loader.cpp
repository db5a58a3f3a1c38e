#include "compiler/dsl/dsl_loader.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "compiler/dsl/syntax.hpp"
#include "compiler/dsl/transformer.hpp"

namespace migpkg::dsl {

std::vector<ir::Migration> load_dsl_text(const std::string& text, const std::string& file,
                                         Diagnostics& diagnostics) {
  auto tree = parse_syntax(text, file, diagnostics);
  if (!tree) return {};
  ModuleLoader modules;
  FileContents contents = Transformer(*tree, modules, diagnostics).file();
  if (contents.migrations.empty() && !diagnostics.has_errors())
    diagnostics.error("dsl-no-migration", SourceLocation{file, "", 0, 0},
                      "the file declares no migration",
                      "a source file holds `plugin ID` and one or more `migration ID { ... }`");
  return std::move(contents.migrations);
}

std::vector<ir::Migration> load_dsl_file(const std::string& path, Diagnostics& diagnostics) {
  SourceLocation where{path, "", 0, 0};
  struct stat info {};
  if (stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
    diagnostics.error("cannot-read", where, "cannot read file: no such regular file");
    return {};
  }
  DslLimits limits;
  if (static_cast<std::size_t>(info.st_size) > limits.max_bytes) {
    diagnostics.error("file-too-large", where,
                      "file is " + std::to_string(info.st_size) + " bytes; the limit is " +
                          std::to_string(limits.max_bytes) + " bytes");
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diagnostics.error("cannot-read", where, "cannot read file");
    return {};
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return load_dsl_text(buffer.str(), path, diagnostics);
}

}  // namespace migpkg::dsl
