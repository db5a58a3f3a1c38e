// copy: tables from one database into another, through the public API (include/migpkg/, api/).
#include "cli/commands.hpp"
#include "cli/data_move_support.hpp"
#include "cli/runtime_support.hpp"

namespace migpkg::cli {

int run_copy(const Arguments& args) {
  api::CopyRequest request;
  request.move.plugins = args.positionals();
  read_move_options(args, request.move);
  request.create = args.flag("--create");
  std::optional<std::string> from = args.value("--from"), to = args.value("--to");
  if (!from || !to) throw UsageError("copy needs --from URL and --to URL");
  request.from = *from;
  request.to = *to;
  parse_database(*from);  // UsageError for a bad URL, before anything is opened
  runtime::DatabaseUrl to_url = parse_database(*to);
  if (runtime::redact_password(*from) == runtime::redact_password(*to))
    throw UsageError("copy: --from and --to name the same database");
  // The mapping file is read by the call before either database is opened.
  api::RunOptions options = move_run_options(args, "copy", to_url);
  return finish_data_move(args, "copy", [&] { return api::copy_data(request, options); });
}

}  // namespace migpkg::cli
