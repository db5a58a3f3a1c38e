// migpkg convert SRC --to json|dsl [-o OUT]: DSL <-> portable-migration-v1, file by file.
// With --from, a peer tool's migrations become a plugin (command_convert_from.cpp).
#include <sys/stat.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/convert_from.hpp"
#include "cli/output.hpp"
#include "compiler/dsl/dsl_loader.hpp"
#include "compiler/dsl/dsl_printer.hpp"
#include "compiler/dsl/dsl_source_print.hpp"
#include "compiler/json/ir_json.hpp"
#include "compiler/json/json_document.hpp"
#include "compiler/json/json_loader.hpp"
#include "compiler/util/file_text.hpp"

namespace migpkg::cli {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_directory(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

std::string read_source_text(const std::string& path) {
  // The front end read this file a moment ago, within its size bound.
  FileText file = read_file_text(path, std::size_t{1} << 30);
  return file.text;
}

std::string json_text(const ir::Migration& migration) {
  return portable_json_text(migration, 2) + "\n";
}

}  // namespace

int run_convert(const Arguments& args) {
  if (args.value("--from")) return run_convert_from(args);
  for (const char* option : {"--plugin", "--dialect"})
    if (args.value(option)) throw UsageError(std::string(option) + " goes with --from");
  if (args.positionals().size() != 1)
    throw UsageError("convert takes one source file (it works file by file)");
  const std::string& source = args.positionals()[0];
  auto to = args.value("--to");
  if (!to || (*to != "json" && *to != "dsl")) throw UsageError("--to is json or dsl");
  if (is_directory(source))
    throw UsageError("'" + source + "' is a directory; convert works file by file");
  if (!ends_with(source, ".mig") && !ends_with(source, ".json"))
    throw UsageError("'" + source + "' is neither a .mig nor a .json source");

  // Only the front end's own checks run: a file may depend on migrations in other files, which
  // `validate` checks across the whole plugin.
  Diagnostics diagnostics;
  std::vector<ir::Migration> migrations;
  if (ends_with(source, ".mig")) {
    migrations = dsl::load_dsl_file(source, diagnostics);
  } else if (auto document = read_json_file(source, diagnostics)) {
    if (auto migration = load_portable_migration(*document, source, diagnostics))
      migrations.push_back(std::move(*migration));
  }
  diagnostics.sort();
  print_diagnostics(diagnostics);
  if (diagnostics.has_errors()) return kFailed;

  auto output = args.value("--output");
  if (*to == "dsl") {
    // From a DSL file the author's comments, use lines and groups are kept; JSON has none.
    write_output(output.value_or("-"),
                 ends_with(source, ".mig")
                     ? dsl::print_dsl_keeping_source(migrations, read_source_text(source))
                     : dsl::print_dsl(migrations));
    return kOk;
  }
  if (migrations.size() == 1) {
    write_output(output.value_or("-"), json_text(migrations[0]));
    return kOk;
  }
  // A portable-migration-v1 document holds one migration: several become one file each, named
  // by migration id, in the directory -o names.
  if (!output || *output == "-")
    throw UsageError("'" + source + "' holds " + std::to_string(migrations.size()) +
                     " migrations; give -o DIR to write one JSON document per migration");
  // "-o notes.json" names a file: making a directory of that name would surprise (it did).
  if (ends_with(*output, ".json") && !is_directory(*output))
    throw UsageError("'" + source + "' holds " + std::to_string(migrations.size()) +
                     " migrations and a portable-migration-v1 document holds one; give -o a "
                     "directory (a name not ending in .json) to write one document per migration");
  if (!is_directory(*output) && mkdir(output->c_str(), 0777) != 0)
    throw UsageError("cannot create directory '" + *output + "'");
  for (const auto& migration : migrations) {
    std::string path = *output + "/" + migration.id + ".json";
    write_output(path, json_text(migration));
    std::cerr << "wrote " << path << "\n";
  }
  return kOk;
}

}  // namespace migpkg::cli
