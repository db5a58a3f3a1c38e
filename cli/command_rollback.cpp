#include <algorithm>
#include <iostream>

#include "cli/backup_settings.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/runtime_support.hpp"
#include "compiler/planner/plan_output.hpp"
#include "compiler/util/semver.hpp"

namespace migpkg::cli {

int run_rollback(const Arguments& args) {
  if (args.positionals().size() != 1) throw UsageError("rollback takes one plugin id");
  runtime::RollbackTarget target;
  int chosen = 0;
  if (auto version = args.value("--to")) {
    target.kind = runtime::RollbackTarget::Kind::ToVersion;
    target.version = *version;
    if (!SemVer::parse(*version))
      throw UsageError("--to takes a semantic version (e.g. 1.2.0), not '" + *version + "'");
    ++chosen;
  }
  if (auto steps = args.value("--steps")) {
    target.kind = runtime::RollbackTarget::Kind::Steps;
    try {
      std::size_t used = 0;
      target.steps = std::stoi(*steps, &used);
      if (used != steps->size() || target.steps < 1) throw std::invalid_argument("");
    } catch (const std::exception&) {
      throw UsageError("--steps takes a positive whole number, not '" + *steps + "'");
    }
    ++chosen;
  }
  if (args.flag("--all")) {
    target.kind = runtime::RollbackTarget::Kind::All;
    ++chosen;
  }
  if (chosen > 1) throw UsageError("give at most one of --to, --steps and --all");

  std::string database = database_argument(args);
  runtime::DatabaseUrl url = parse_database(database);
  bool json = args.flag("--json");
  bool dry_run = args.flag("--dry-run");
  Config config = load_config(args);
  auto context = run_context(args, joined_arguments("rollback", args), url, !json, &config);
  context.no_backup = args.flag("--no-backup");
  // A SQLite file that does not exist has nothing to roll back: an empty stand-in answers that,
  // and no file is created.
  auto connection = dry_run ? open_for_reading(url) : open_naming_lock_holder(url, [&] {
    return open_for_reading(url, sqlite_lock_wait_ms(context));
  });
  auto report =
      runtime::rollback(*connection, url, args.positionals()[0], target, dry_run, context);
  apply_configured_retention(*connection, url, context, config, report, dry_run);
  if (dry_run && !json && report.status == runtime::RunStatus::Ok) {
    // The stored down steps, most recent migration first: exactly what would run.
    plan::Plan reversed = report.plan;
    std::reverse(reversed.migrations.begin(), reversed.migrations.end());
    std::cout << plan_to_sql(reversed, PlanDirection::Down);
  }
  return finish_report(report, "rollback", json, database);
}

}  // namespace migpkg::cli
