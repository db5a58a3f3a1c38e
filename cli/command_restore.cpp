#include <iostream>
#include <memory>

#include "cli/age_options.hpp"
#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/runtime_support.hpp"

namespace migpkg::cli {

int run_restore(const Arguments& args) {
  if (args.positionals().size() != 1) throw UsageError("restore takes one backup path");
  std::string database = database_argument(args);
  runtime::DatabaseUrl url = parse_database(database);
  bool json = args.flag("--json");
  auto context = run_context(args, joined_arguments("restore", args), url, false);
  // Read before the database is opened: a bad identity file changes nothing.
  if (!args.all("--identity").empty() || args.value("--passphrase-file"))
    context.backup_decryption =
        std::make_shared<const crypto::AgeDecryptWith>(age_decrypt_with(args, "the backup"));
  auto connection = open_naming_lock_holder(
      url, [&] { return runtime::open_connection(url, sqlite_lock_wait_ms(context)); });
  auto report =
      runtime::restore(*connection, url, args.positionals()[0], context, args.flag("--all-tables"));
  return finish_report(report, "restore", json, database);
}

}  // namespace migpkg::cli
