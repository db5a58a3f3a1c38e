#include "cli/commands.hpp"
#include "compiler/dialects/dialect.hpp"
#include "compiler/util/word_list.hpp"

namespace migpkg::cli {

const std::vector<Command>& commands() {
  static const OptionSpec json{"--json", "", false, "", "machine-readable output on stdout"};
  static const OptionSpec db{"--db", "", true, "URL",
                             "database URL (default $MIGPKG_DB, else sqlite:migpkg.db)"};
  static const OptionSpec actor{"--actor", "", true, "NAME",
                                "recorded as applied_by (default: OS user)"};
  static const OptionSpec lock{"--lock-timeout", "", true, "SECONDS",
                               "wait this long for another run's lock (default 60), then exit 4"};
  static const OptionSpec backups{
      "--backup-dir", "", true, "DIR",
      "where backups go (default: $MIGPKG_BACKUP_DIR, else next to a SQLite file, else "
      "./migpkg-backups)"};
  static const OptionSpec install_to{
      "--to", "", true, "[PLUGIN@]VERSION",
      "apply the plugin's pending migrations only up to VERSION (PLUGIN@ when the sources hold "
      "several plugins)"};
  static const OptionSpec single{"--single-transaction", "", false, "",
                                 "all migrations of the run in one transaction: all or none"};
  static const OptionSpec commit_interval{
      "--commit-interval", "", true, "MS",
      "commit applied migrations at least this often (default 200; 0 = after each one)"};
  static const OptionSpec no_backup{
      "--no-backup", "", false, "",
      "take no backup before destructive changes or a rollback that drops rows (backups the "
      "author requires are still taken)"};
  static const OptionSpec dry_run{"--dry-run", "", false, "",
                                  "show what would run; change nothing"};
  static const OptionSpec trust{
      "--trust", "", true, "PUB|DIR",
      "publisher key(s) to trust for packages: a .pub file or a directory of them (default "
      "$XDG_CONFIG_HOME/migpkg/trust, else ~/.config/migpkg/trust)"};
  static const OptionSpec downgrade{"--allow-downgrade", "", false, "",
                                    "accept a package older than the installed version"};
  static const OptionSpec password_file{"--password-file", "", true, "F",
                                        "read the secret key's password from F's first line"};
  static const OptionSpec move_tables{"--tables", "", true, "T,...",
                                      "only these tables (source names), parents loaded first"};
  static const OptionSpec on_conflict{
      "--on-conflict", "", true, "MODE",
      "a row whose key the target has: fail (default: stop, and nothing of the run stays), skip, "
      "overwrite or merge"};
  static const OptionSpec map{"--map", "", true, "FILE",
                              "renamed tables and columns, per-column transforms (docs/data.md)"};
  static const OptionSpec lenient{"--lenient", "", false, "",
                                  "set aside rows with a value the target cannot hold, and go on"};
  static const OptionSpec rejects{"--rejects", "", true, "FILE",
                                  "with --lenient: the refused rows, one JSON object a line"};
  static const OptionSpec batch_rows{"--batch-rows", "", true, "N",
                                     "rows per batch and checkpoint (default 10000)"};
  static const OptionSpec index{
      "--index", "", true, "DIR|FILE",
      "take the positionals as PLUGIN[@RANGE] and install the highest listed version in range "
      "from this signed registry index (docs/trust.md)"};
  static const OptionSpec backup_encrypt_to{
      "--encrypt-to",
      "",
      true,
      "age1...",
      "encrypt the backups this run takes to this age recipient; repeatable (default: the "
      "configuration's backups.encrypt_to)",
      true};
  static const OptionSpec backup_recipients_file{
      "--recipients-file",
      "",
      true,
      "FILE",
      "encrypt the backups this run takes to the age recipients in FILE; repeatable",
      true};
  static const OptionSpec backup_passphrase_file{
      "--passphrase-file", "", true, "F",
      "encrypt the backups this run takes to the passphrase on F's first line (age scrypt; "
      "default: the configuration's backups.passphrase_file)"};
  static const OptionSpec config{
      "--config", "", true, "FILE",
      "the configuration file (default $XDG_CONFIG_HOME/migpkg/config.json, else "
      "~/.config/migpkg/config.json; docs/configuration.md)"};
  static const OptionSpec lint_dialect{
      "--dialect",
      "-d",
      true,
      "D",
      "lint for this dialect (" + or_list(dialect_names()) +
          "); repeatable or D,D (default: postgresql, mysql and sqlite)",
      true};
  static const OptionSpec lint_level{
      "--level",
      "",
      true,
      "CODE=LEVEL",
      "set a rule (L101 or drop-table) to off, warning or error; repeatable (docs/lint.md)",
      true};
  static const std::vector<Command> table = {
      {{"validate",
        "validate SRC... [--json] [--lint [--dialect D]... [--level CODE=LEVEL]... [--config "
        "FILE]]",
        "Parse and validate .mig and .json sources and plugin directories; report every problem.",
        {json,
         {"--lint", "", false, "", "also run lint's rules; their findings join the diagnostics"},
         lint_dialect,
         lint_level,
         config},
        1},
       run_validate},
      {{"compile",
        "compile SRC... --dialect D [--format sql|json] [--direction up|down] [-o OUT]",
        "Compile sources into the step plan for one SQL dialect.",
        {{"--dialect", "-d", true, "D", or_list(dialect_names())},
         {"--format", "-f", true, "FMT", "sql (default) or json"},
         {"--direction", "", true, "DIR", "for sql: up (default) or down"},
         {"--output", "-o", true, "OUT", "write to OUT instead of stdout"}},
        1},
       run_compile},
      {{"convert",
        "convert SRC --to json|dsl [-o OUT] | --from TOOL DIR -o PLUGIN_DIR --plugin NAME "
        "[--dialect D[,D...]]",
        "Convert one source file between the DSL and portable-migration-v1 JSON, or a peer "
        "tool's migrations (flyway, liquibase, sqitch, golang-migrate, dbmate) into a plugin.",
        {{"--to", "", true, "FORMAT", "json or dsl"},
         {"--output", "-o", true, "OUT",
          "write to OUT instead of stdout (a directory when a .mig file holds several "
          "migrations; the new plugin directory with --from)"},
         {"--from", "", true, "TOOL",
          "flyway, liquibase, sqitch, golang-migrate or dbmate: read DIR in that tool's layout"},
         {"--plugin", "", true, "NAME", "with --from: the plugin id to write (acme.blog)"},
         {"--dialect", "", true, "D[,D...]",
          "with --from: postgresql, sqlite and/or mysql, the engines the SQL is written for "
          "(default: what flyway.conf or sqitch.conf names)"}},
        1},
       run_convert},
      {{"check",
        "check SRC|PKG... [--db URL | --against URL] [--seed N] [--trust PUB|DIR] [--json]",
        "Apply every up, then every down, on a scratch database and prove the downs restore "
        "the schema (and, with --seed or --against, the rows).",
        {{"--db", "", true, "URL",
          "sqlite::memory: (default), a new sqlite:PATH, or a PostgreSQL server URL (a scratch "
          "database is created there and dropped)"},
         {"--seed", "", true, "N",
          "fill every table with N generated rows before each up; check no up loses rows and "
          "every down brings them back"},
         {"--against", "", true, "URL",
          "rehearse the pending migrations on a copy of this database (never written to), with "
          "the same data checks; reports rows touched and time per migration"},
         trust,
         json},
        1},
       run_check},
      {{"install",
        "install SRC|PKG... [--db URL] [--trust PUB|DIR] [--to [PLUGIN@]VERSION] [--dry-run] "
        "[--json]",
        "Apply the pending migrations of sources or verified packages to a database (install or "
        "upgrade).",
        {db, trust, downgrade, install_to, dry_run, single, commit_interval, actor, lock, backups,
         no_backup, json, index, config, backup_encrypt_to, backup_recipients_file,
         backup_passphrase_file},
        1},
       run_install},
      {{"plan",
        "plan SRC|PKG... [--db URL] [--trust PUB|DIR] [--to [PLUGIN@]VERSION] [--json]",
        "Show what install would run on this database, SQL included; change nothing.",
        {db, trust, downgrade, install_to, json, index},
        1},
       run_plan},
      {{"rollback",
        "rollback PLUGIN [--to VERSION | --steps N | --all] [--db URL] [--dry-run] [--json]",
        "Undo a plugin's most recent version (or down to VERSION, the last N migrations, or all) "
        "from the down steps stored at install time.",
        {db,
         {"--to", "", true, "VERSION", "undo every migration newer than VERSION"},
         {"--steps", "", true, "N", "undo the plugin's last N migrations"},
         {"--all", "", false, "", "undo every migration of the plugin (uninstall)"},
         dry_run,
         single,
         commit_interval,
         actor,
         lock,
         backups,
         no_backup,
         json,
         config,
         backup_encrypt_to,
         backup_recipients_file,
         backup_passphrase_file},
        1},
       run_rollback},
      {{"status",
        "status [--db URL] [--json]",
        "Installed plugins and versions, and migrations left half-done.",
        {db, json},
        0},
       run_status},
      {{"history",
        "history [--db URL] [--plugin ID] [--json]",
        "Every migration applied, rolled back or failed: who, when, checksum, duration.",
        {db, {"--plugin", "", true, "ID", "only this plugin"}, json},
        0},
       run_history},
      {{"restore",
        "restore BACKUP [--db URL] [--identity FILE | --passphrase-file F] [--all-tables]",
        "Put back the tables of the plugin(s) a backup was taken for; their migrations applied "
        "since are recorded as undone.",
        {db,
         {"--all-tables", "", false, "",
          "put back every table of the backup (other plugins' and the application's too) and "
          "take away every migration applied since"},
         actor,
         lock,
         json,
         {"--identity", "-i", true, "FILE",
          "an age identity file, for an encrypted backup; repeatable", true},
         {"--passphrase-file", "", true, "F",
          "the passphrase on F's first line, for a backup encrypted to one"}},
        1},
       run_restore},
      {{"export",
        "export [PLUGIN...] --db URL -o OUT [--tables T,...] [--where T:COND]... [--format "
        "ndjson|csv] [--compress zstd] [--json]",
        "Write tables (a plugin's, the ones named, or every user table) to a data set: a "
        "directory, or one .migdata file, of NDJSON or CSV with dataset.json.",
        {db,
         {"--output", "-o", true, "OUT", "the data set to write: a directory, or a .migdata file"},
         {"--tables", "", true, "T,...", "only these tables"},
         {"--where", "", true, "T:COND", "only T's rows that meet COND (SQL); repeatable", true},
         {"--format", "", true, "FMT", "ndjson (default) or csv"},
         {"--compress", "", true, "zstd", "compress each table file with zstd"},
         json,
         {"--encrypt-to", "", true, "age1...",
          "encrypt the .migdata in the age format to this recipient; repeatable", true},
         {"--recipients-file", "", true, "FILE",
          "encrypt to the age recipients in FILE (one a line); repeatable", true},
         {"--passphrase-file", "", true, "F",
          "encrypt to the passphrase on F's first line (age scrypt)"}},
        0},
       run_export},
      {{"keygen",
        "keygen -o NAME [--password-file F | --no-password] [--force] [--json] | keygen --age -o "
        "FILE",
        "Make a publisher's Ed25519 key pair in minisign's formats: NAME.key (secret, mode "
        "0600) and NAME.pub.",
        {{"--output", "-o", true, "NAME", "write NAME.key and NAME.pub"},
         password_file,
         {"--no-password", "", false, "", "leave the secret key unencrypted"},
         {"--force", "", false, "", "replace existing NAME.key / NAME.pub"},
         json,
         {"--age", "", false, "",
          "instead, write an age identity file -o FILE (0600) and print its recipient"}},
        0},
       run_keygen},
      {{"pack",
        "pack DIR -o OUT.migpkg --key NAME.key [--password-file F] [--json]",
        "Compile a plugin directory for every dialect and bundle sources, IR, plans and data/ "
        "into a signed, reproducible package.",
        {{"--output", "-o", true, "OUT", "the package to write"},
         {"--key", "", true, "NAME.key", "the publisher's secret key"},
         password_file,
         json},
        1},
       run_pack},
      {{"verify",
        "verify PKG [--trust PUB|DIR] [--json]",
        "Check a package's signature against trusted keys and every file against the manifest; "
        "nothing is extracted.",
        {trust, json},
        1},
       run_verify},
      {{"inspect",
        "inspect PKG [--trust PUB|DIR] [--json]",
        "Show a package's manifest, migrations, dialects and signer (the signature is checked "
        "only with --trust).",
        {trust, json},
        1},
       run_inspect},
      {{"import",
        "import IN [PLUGIN...] --db URL [--tables T,...] [--where T:COND]... [--on-conflict "
        "fail|skip|overwrite|merge] [--map FILE] [--lenient --rejects FILE] [--dry-run] [--json]",
        "Load a data set (a directory or a .migdata file) into a database: checked before a row is "
        "written, resumable, verified after.",
        {db,
         move_tables,
         {"--where", "", true, "T:COND",
          "only T's rows that meet COND (a condition over the row's columns, docs/data.md); "
          "repeatable",
          true},
         on_conflict,
         map,
         lenient,
         rejects,
         dry_run,
         batch_rows,
         actor,
         lock,
         json,
         {"--identity", "-i", true, "FILE",
          "an age identity file, for an encrypted .migdata; repeatable", true},
         {"--passphrase-file", "", true, "F",
          "the passphrase of an encrypted .migdata, on F's first line"}},
        1},
       run_import},
      {{"copy",
        "copy --from URL --to URL [PLUGIN...] [--tables T,...] [--where T:COND]... [--create] "
        "[--on-conflict ...] [--json]",
        "Copy tables' rows from one database to another (any two engines): resumable, verified "
        "after; --create makes the missing tables first.",
        {{"--from", "", true, "URL", "the database to read (never written to)"},
         {"--to", "", true, "URL", "the database to write"},
         {"--create", "", false, "",
          "create the tables the target lacks (compiled for its dialect, with their portable "
          "defaults and checks), their indexes and foreign keys after the rows"},
         move_tables,
         {"--where", "", true, "T:COND",
          "only the source table T's rows that meet COND (SQL of the source); repeatable", true},
         on_conflict,
         map,
         lenient,
         rejects,
         dry_run,
         batch_rows,
         actor,
         lock,
         json},
        0},
       run_copy},
      {{"index",
        "index build DIR --key K.key [--password-file F] [--expires 30d|DATE] [--version N] "
        "[--revoke KEYID]... [--json]",
        "Write a registry directory's signed index: DIR/index.json (every *.migpkg's plugin, "
        "version, size, SHA-256 and signer) and index.json.minisig.",
        {{"--key", "", true, "K.key", "the registry's index key (a minisign secret key)"},
         password_file,
         {"--expires", "", true, "WHEN",
          "Nd or Nh from now, YYYY-MM-DD (end of that UTC day) or an RFC 3339 UTC time "
          "(default 30d)"},
         {"--version", "", true, "N",
          "the index version (default: one more than DIR/index.json's, else 1)"},
         {"--revoke", "", true, "KEYID", "list this key id as revoked; repeatable", true},
         json},
        1},
       run_index},
      {{"key",
        "key rotate --old OLD.key [--password-file F] --new NEW.pub [-o FILE] [--note TEXT] "
        "[--json]",
        "Write a statement, signed by the old key, vouching for a publisher's new key "
        "(a .rotation file, and its minisign signature beside it).",
        {{"--old", "", true, "OLD.key", "the old secret key, which signs the statement"},
         password_file,
         {"--new", "", true, "NEW.pub", "the new public key"},
         {"--output", "-o", true, "FILE",
          "the statement to write (default OLDID-NEWID.rotation), its signature beside it"},
         {"--note", "", true, "TEXT", "a note carried in the statement"},
         json},
        1},
       run_key},
      {{"backups",
        "backups [--db URL] [--backup-dir DIR] [--prune (--keep N | --keep-days D) [--dry-run]] "
        "[--json]",
        "List the database's backups, newest first (size, age, the migration each precedes), "
        "and prune them to a retention.",
        {db,
         backups,
         {"--prune", "", false, "",
          "delete the backups the retention does not keep (--keep, --keep-days, else the "
          "configuration's)"},
         {"--keep", "", true, "N", "with --prune: keep the N newest backups"},
         {"--keep-days", "", true, "D",
          "with --prune: keep backups younger than D days (with --keep: kept by either)"},
         {"--dry-run", "", false, "", "with --prune: show what would be deleted; delete nothing"},
         config,
         json},
        0},
       run_backups},
      {{"encrypt",
        "encrypt (-r age1... | -R FILE | --passphrase-file F) -o OUT IN [--force]",
        "Encrypt a file in the age format (c2sp.org/age) to recipients or a passphrase.",
        {{"--recipient", "-r", true, "age1...", "an age recipient; repeatable", true},
         {"--recipients-file", "-R", true, "FILE",
          "recipients, one age1... a line ('#' comments); repeatable", true},
         {"--passphrase-file", "", true, "F", "encrypt to the passphrase on F's first line"},
         {"--output", "-o", true, "OUT", "the age file to write"},
         {"--force", "", false, "", "replace OUT if it exists"}},
        1},
       run_encrypt},
      {{"decrypt",
        "decrypt (-i FILE | --passphrase-file F) -o OUT IN [--force]",
        "Decrypt an age file; OUT appears only once every chunk authenticated.",
        {{"--identity", "-i", true, "FILE", "an age identity file; repeatable", true},
         {"--passphrase-file", "", true, "F", "the passphrase on F's first line"},
         {"--output", "-o", true, "OUT", "the file to write"},
         {"--force", "", false, "", "replace OUT if it exists"}},
        1},
       run_decrypt},
      {{"audit",
        "audit [--db URL] [--plugin ID] [--since DATE] [--limit N] [--json]",
        "The audit log, newest first: every run that wrote to the database (who, when, the "
        "command line, its outcome and why). Read-only.",
        {db,
         {"--plugin", "", true, "ID", "only runs that named the plugin or changed its migrations"},
         {"--since", "", true, "DATE",
          "only runs started then or later (UTC: 2026-12-06 or 2026-12-06T14:30Z)"},
         {"--limit", "", true, "N", "only the newest N runs"},
         json},
        0},
       run_audit},
      {{"token",
        "token add NAME --role viewer|operator|admin --tokens FILE | token list --tokens FILE "
        "[--json] | token remove NAME --tokens FILE",
        "Manage the API tokens of `migpkg serve`: add prints a new token once (only its hash is "
        "kept), list shows names and roles, remove revokes one.",
        {{"--tokens", "", true, "FILE", "the token file (written atomically, mode 0600)"},
         {"--role", "", true, "ROLE",
          "for add: viewer (reads), operator (also plans, installs, exports) or admin (also rolls "
          "back, restores, imports, copies)"},
         json},
        1},
       run_token},
      {{"serve",
        "serve --db URL --tokens FILE [--listen 127.0.0.1:PORT] [--packages DIR] [--trust "
        "PUB|DIR] [--allow-remote]",
        "Serve the database over a local HTTP/1.1 JSON API with tokens and roles, and a status "
        "page at / (docs/serve.md). SIGTERM or SIGINT stops it gracefully.",
        {db,
         {"--tokens", "", true, "FILE", "the token file `migpkg token` writes (required)"},
         {"--listen", "", true, "HOST:PORT",
          "the address to listen on (default 127.0.0.1:8470; port 0 picks a free one, printed "
          "on stdout)"},
         {"--allow-remote", "", false, "", "accept a --listen address that is not loopback"},
         {"--packages", "", true, "DIR",
          "the directory whose .migpkg files requests may name (plain file names only)"},
         trust,
         backups,
         {"--threads", "", true, "N", "request threads (default 8)"},
         {"--max-body", "", true, "BYTES",
          "the largest request body accepted (default 64 MiB; larger: 413)"},
         {"--operations-file", "", true, "FILE",
          "the operations' history, kept across restarts (default operations.jsonl beside the "
          "token file)"},
         {"--audit-interval", "", true, "SECONDS",
          "how often denied requests are written to the audit log, aggregated (default 60)"},
         {"--data-dir", "", true, "DIR",
          "the directory of the data sets and SQLite files that export, import and copy requests "
          "may name (plain file names only)"}},
        0},
       run_serve},
      {{"lint",
        "lint SRC... [--dialect D]... [--level CODE=LEVEL]... [--config FILE] [--json]",
        "Flag what makes migrations dangerous to run, per migration and dialect: lost data, "
        "table rewrites, long locks, changes the previous version breaks on, destruction "
        "without a backup (docs/lint.md). Exit 1 when a finding is an error.",
        {lint_dialect, lint_level, config, json},
        1},
       run_lint},
      {{"diff",
        "diff FROM TO [-o FILE] [--plugin NAME] [--version V] [--id ID] [--json]",
        "The declarative changes that turn FROM's schema into TO's (each a database URL, plugin "
        "sources or a package, or 'empty'), as a DSL migration whose downs are derived.",
        {{"--output", "-o", true, "FILE", "write the migration to FILE instead of stdout"},
         {"--plugin", "", true, "NAME",
          "a database side: only the tables this installed plugin owns; also the generated "
          "migration's plugin id"},
         {"--version", "", true, "V",
          "the generated migration's version (default: the FROM plugin's next minor, else "
          "1.0.0)"},
         {"--id", "", true, "ID", "the generated migration's id (default diff-<version>)"},
         trust,
         json},
        2},
       run_diff},
      {{"baseline",
        "baseline PLUGIN_SRC|PKG --version V [--db URL] [--trust PUB|DIR] [--json]",
        "Record a schema built by hand as the plugin installed at version V, after checking the "
        "database has exactly the schema the plugin's migrations up to V make (else the "
        "difference is shown and nothing is written).",
        {db,
         {"--version", "", true, "V", "the version the database is at (required)"},
         trust,
         actor,
         lock,
         json},
        1},
       run_baseline},
      {{"repair",
        "repair PLUGIN --mark-undone MIGRATION | repair PLUGIN --mark-applied MIGRATION | repair "
        "SRC... --update-checksums [--yes] [--db URL] [--json]",
        "Settle a half-done migration by hand (mark it undone or applied), or record the "
        "checksums of applied migrations whose sources changed on purpose; audited "
        "(docs/repair.md).",
        {db,
         {"--mark-undone", "", true, "MIGRATION",
          "forget the half-done MIGRATION of PLUGIN (its steps were undone by hand): the next "
          "install runs it from its first step"},
         {"--mark-applied", "", true, "MIGRATION",
          "record the half-done MIGRATION of PLUGIN as applied (finished by hand), with its "
          "stored plan"},
         {"--update-checksums", "", false, "",
          "store the checksums (and plans) the sources give for applied migrations that differ"},
         {"--yes", "", false, "",
          "with --update-checksums: accept sources whose plan runs other statements than the "
          "stored one"},
         trust,
         actor,
         lock,
         json},
        1},
       run_repair},
  };
  return table;
}

}  // namespace migpkg::cli
