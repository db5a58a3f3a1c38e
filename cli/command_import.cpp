// import: a data set into a database, through the public API (include/migpkg/, api/).
#include "cli/age_options.hpp"
#include "cli/api_client.hpp"
#include "cli/commands.hpp"
#include "cli/data_move_support.hpp"
#include "cli/runtime_support.hpp"
#include "runtime/data/dataset.hpp"

namespace migpkg::cli {

int run_import(const Arguments& args) {
  api::ImportRequest request;
  request.input = args.positionals().at(0);
  request.move.plugins.assign(args.positionals().begin() + 1, args.positionals().end());
  read_move_options(args, request.move);
  // An age-encrypted .migdata needs its keys, read (and checked) before anything is opened.
  if (data::DatasetReader::is_encrypted(request.input))
    request.decrypt_with = api_decrypt_with(age_decrypt_with(args, request.input));
  // The data set's manifest and the mapping file are read by the call before the target is
  // opened: bad input is refused without creating a SQLite file.
  request.database = database_argument(args);
  runtime::DatabaseUrl url = parse_database(request.database);
  api::RunOptions options = move_run_options(args, "import", url);
  return finish_data_move(args, "import", [&] { return api::import_data(request, options); });
}

}  // namespace migpkg::cli
