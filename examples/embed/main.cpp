// An installer that embeds migpkg: installs a plugin (a source directory or a .migpkg package)
// into the host's own SQLite database, then prints what the database has installed.
//
//   embed PLUGIN DATABASE_FILE
#include <migpkg/migpkg.hpp>

#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: embed PLUGIN DATABASE_FILE\n";
    return 2;
  }
  namespace api = migpkg::api;
  api::InstallRequest request;
  request.database = std::string("sqlite:") + argv[2];
  request.inputs = {argv[1]};

  api::RunOptions options;
  options.actor = "embed-example";
  options.on_progress = [](const api::Progress& p) {
    std::cerr << "  " << p.unit << " " << p.done << (p.total ? "/" + std::to_string(p.total) : "")
              << "\n";
  };

  api::RunResult installed = api::install(request, options);
  for (const api::Diagnostic& d : installed.diagnostics) std::cerr << d.text;
  if (!installed.ok()) {
    for (const std::string& problem : installed.problems)
      std::cerr << "install " << api::status_name(installed.status) << ": " << problem << "\n";
    return installed.exit_code;
  }
  for (const api::MigrationRun& m : installed.migrations)
    std::cout << m.action << " " << m.plugin_id << "/" << m.migration_id << " " << m.version
              << "\n";

  api::StatusResult state = api::status(request.database);
  if (!state.ok()) {
    for (const std::string& problem : state.problems) std::cerr << "status: " << problem << "\n";
    return state.exit_code;
  }
  std::cout << "migpkg " << api::library_version() << ", " << state.engine << " database\n";
  for (const api::InstalledPlugin& plugin : state.plugins)
    std::cout << "installed " << plugin.plugin_id << " " << plugin.version << " ("
              << plugin.migrations.size() << " migrations)\n";
  return 0;
}
