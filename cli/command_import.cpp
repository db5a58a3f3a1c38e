#include "cli/age_options.hpp"
#include "cli/commands.hpp"
#include "cli/data_move_support.hpp"
#include "cli/runtime_support.hpp"
#include "runtime/data/dataset.hpp"
#include "runtime/data/move_ends.hpp"

namespace migpkg::cli {

int run_import(const Arguments& args) {
  data::ImportRequest request;
  request.input = args.positionals().at(0);
  request.plugins.assign(args.positionals().begin() + 1, args.positionals().end());
  read_move_options(args, request);
  // An age-encrypted .migdata needs its keys; the file key found first is reused by every later
  // pass over the file (scrypt runs once).
  std::optional<crypto::AgeDecryptWith> age;
  if (data::DatasetReader::is_encrypted(request.input)) {
    age = age_decrypt_with(args, request.input);
    age->cache = std::make_shared<crypto::AgeFileKeyCache>();
    request.age = &*age;
  }
  // Bad input is refused before the target is opened (a SQLite file is not even created): the
  // data set's manifest and the mapping file are read once here (an encrypted data set is
  // decrypted and authenticated to its last byte).
  data::DatasetReader::open(request.input, request.age);
  if (!request.map_file.empty()) data::DataMapping::read(request.map_file);
  request.db_url = database_argument(args);
  runtime::DatabaseUrl url = parse_database(request.db_url);
  runtime::RunContext context = run_context(args, "", url, false);
  auto target = data::open_move_target(url, args.flag("--dry-run"), sqlite_lock_wait_ms(context));
  return run_data_move(args, "import", url, *target,
                       [&] { return data::run_import(*target, request); });
}

}  // namespace migpkg::cli
