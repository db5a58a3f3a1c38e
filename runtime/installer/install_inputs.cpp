#include "runtime/installer/install_inputs.hpp"

#include <algorithm>
#include <climits>
#include <utility>

#include "compiler/dialects/dialect.hpp"
#include "compiler/planner/planner.hpp"
#include "runtime/history/bookkeeping.hpp"
#include "runtime/installer/database_opening.hpp"
#include "runtime/package/minisign.hpp"
#include "runtime/package/package_error.hpp"

namespace migpkg::runtime {

InstallInputsResult install_inputs(const DatabaseUrl& url, InstallInputsRequest& request,
                                   RunContext context, Diagnostics& diagnostics) {
  ProgramInputs& inputs = request.inputs;
  const bool dry_run = request.dry_run;
  if (!inputs.packages.empty()) check_engine_support(inputs, ir::engine_name(url.engine));
  for (const auto& loaded : inputs.packages)
    for (const auto& [name, content] : loaded.verified.kept)
      if (name.rfind("data/", 0) == 0)
        context.package_data[loaded.verified.manifest.plugin][name] = content;
  for (const auto& loaded : inputs.packages)
    for (const auto& migration : loaded.migrations)
      context.provenance[{migration.plugin_id, migration.id}] = {
          loaded.sha256, package::key_id_hex(loaded.verified.key_id)};
  // A SQLite file that does not exist yet is created only once the sources are known to be
  // good: until then an empty in-memory database stands in for it (there is nothing to read).
  // A run that writes waits up to --lock-timeout for another connection's write lock; a dry run
  // only reads, which SQLite lets it do while another connection writes (save during that
  // connection's commit, which it waits out for the default lock wait).
  const int lock_wait_ms = dry_run ? kDefaultSqliteLockWaitMs
                                   : std::min(context.lock_timeout_seconds, INT_MAX / 1000) * 1000;
  // Asked once: a file another program creates meanwhile must not leave the run on the
  // in-memory stand-in (it would install into that and report success).
  const bool stand_in = database_missing(url);
  InstallInputsResult result;
  result.connection =
      dry_run ? open_for_reading(url, lock_wait_ms)
              : open_naming_lock_holder(url, [&] { return open_for_reading(url, lock_wait_ms); });
  const Dialect& dialect = dialect_for(url.engine);

  if (!inputs.packages.empty()) {
    std::vector<std::pair<std::string, std::string>> installed_versions;
    Bookkeeping bookkeeping(*result.connection);
    if (bookkeeping.tables_exist())
      for (const auto& plugin : bookkeeping.plugins())
        installed_versions.emplace_back(plugin.plugin_id, plugin.version);
    check_downgrades(inputs, installed_versions, request.allow_downgrade);
  }
  // Sources are validated against what the database already has, so a dependency on a
  // migration installed earlier (by another plugin) is satisfied.
  std::set<std::string> installed = applied_migration_ids(*result.connection);
  ir::Program program = assemble_program(inputs, diagnostics, &installed);
  InstallRequest run;
  run.program = &program;
  run.dry_run = dry_run;
  run.target_plugin = request.target_plugin;
  run.target_version = request.target_version;
  if (!diagnostics.has_errors()) run.plan = build_plan(program, dialect, diagnostics);
  if (request.stop_on_errors ? request.stop_on_errors(diagnostics) : diagnostics.has_errors())
    return result;
  if (!dry_run && stand_in) result.connection = open_connection(url, lock_wait_ms);
  if (!dry_run && request.before_run) request.before_run();
  result.report = install(*result.connection, url, std::move(run), context);
  return result;
}

}  // namespace migpkg::runtime
