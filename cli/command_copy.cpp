#include "cli/commands.hpp"
#include "cli/data_move_support.hpp"
#include "cli/runtime_support.hpp"

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
  runtime::DatabaseUrl from_url = parse_database(*from), to_url = parse_database(*to);
  if (runtime::redact_password(*from) == runtime::redact_password(*to))
    throw UsageError("copy: --from and --to name the same database");
  if (!request.map_file.empty()) data::DataMapping::read(request.map_file);  // before opening
  runtime::RunContext context = run_context(args, "", to_url, false);
  // The source is only read: a SQLite file that is not there is not created.
  if (database_missing(from_url))
    throw std::runtime_error("the source database " + *from + " does not exist");
  auto source = open_for_reading(from_url);
  auto target = args.flag("--dry-run")
                    ? open_for_reading(to_url, sqlite_lock_wait_ms(context))
                    : open_naming_lock_holder(to_url, [&] {
                        return runtime::open_connection(to_url, sqlite_lock_wait_ms(context));
                      });
  return run_data_move(args, "copy", to_url, *target,
                       [&] { return data::run_copy(*source, *target, request); });
}

}  // namespace migpkg::cli
