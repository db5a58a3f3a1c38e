#include "cli/commands.hpp"
#include "cli/data_move_support.hpp"
#include "cli/runtime_support.hpp"
#include "runtime/data/move_ends.hpp"

namespace migpkg::cli {

int run_copy(const Arguments& args) {
  data::CopyRequest request;
  request.plugins = args.positionals();
  read_move_options(args, request);
  request.create = args.flag("--create");
  std::optional<std::string> from = args.value("--from"), to = args.value("--to");
  if (!from || !to) throw UsageError("copy needs --from URL and --to URL");
  request.from_url = *from;
  request.to_url = *to;
  parse_database(*from);  // UsageError for a bad URL, before anything is opened
  runtime::DatabaseUrl to_url = parse_database(*to);
  if (runtime::redact_password(*from) == runtime::redact_password(*to))
    throw UsageError("copy: --from and --to name the same database");
  if (!request.map_file.empty()) data::DataMapping::read(request.map_file);  // before opening
  runtime::RunContext context = run_context(args, "", to_url, false);
  // The source is only read: a SQLite file that is not there is not created.
  auto source = data::open_copy_source(*from, *to);
  auto target =
      data::open_move_target(to_url, args.flag("--dry-run"), sqlite_lock_wait_ms(context));
  return run_data_move(args, "copy", to_url, *target,
                       [&] { return data::run_copy(*source, *target, request); });
}

}  // namespace migpkg::cli
