#include "cli/runtime_support.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "api/api_support.hpp"
#include "cli/api_client.hpp"
#include "cli/backup_settings.hpp"
#include "cli/output.hpp"
#include "cli/progress_lines.hpp"
#include "compiler/planner/plan_json_reader.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/installer/database_opening.hpp"
#include "runtime/lock/run_lock.hpp"

namespace migpkg::cli {

std::string database_argument(const Arguments& args) {
  if (auto db = args.value("--db")) return *db;
  if (const char* env = std::getenv("MIGPKG_DB"); env && *env) return env;
  return "sqlite:migpkg.db";
}

runtime::DatabaseUrl parse_database(const std::string& url) {
  try {
    return runtime::DatabaseUrl::parse(url);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
}

namespace {

std::string os_user() {
  if (const passwd* pw = getpwuid(getuid())) return pw->pw_name;
  if (const char* user = std::getenv("USER")) return user;
  return "uid " + std::to_string(getuid());
}

// The whole-number value of `option` (0 or more), `fallback` when it is not given.
int non_negative(const Arguments& args, const std::string& option, const std::string& unit,
                 int fallback) {
  auto text = args.value(option);
  if (!text) return fallback;
  try {
    std::size_t used = 0;
    int number = std::stoi(*text, &used);
    if (used == text->size() && number >= 0) return number;
  } catch (const std::exception&) {
  }
  throw UsageError(option + " takes whole " + unit + " (0 or more), not '" + *text + "'");
}

// "copy  [##########          ] 50,000/100,000 rows  12,345 rows/s  ETA 4s" on one line.
void draw_progress(const runtime::TransformProgress& p) {
  static auto started = std::chrono::steady_clock::now();
  static std::string last_step;
  if (p.step_id != last_step) {
    started = std::chrono::steady_clock::now();
    last_step = p.step_id;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  double rate = seconds > 0 ? p.done / seconds : 0;
  int width = 24;
  int filled = p.total > 0 ? static_cast<int>(width * p.done / p.total) : width;
  std::string bar(filled, '#');
  bar.resize(width, ' ');
  std::string eta =
      rate > 0 && p.total > p.done
          ? "  ETA " + std::to_string(static_cast<long>((p.total - p.done) / rate)) + "s"
          : "";
  std::cerr << "\r  " << p.step_id << " [" << bar << "] " << p.done << "/" << p.total << " rows  "
            << static_cast<long>(rate) << " rows/s" << eta << "   " << std::flush;
  if (p.done >= p.total) std::cerr << "\n";
}

}  // namespace

bool database_missing(const runtime::DatabaseUrl& url) {
  return runtime::database_missing(url);
}

std::unique_ptr<runtime::Connection> open_for_reading(const runtime::DatabaseUrl& url,
                                                      int sqlite_lock_wait_ms) {
  return runtime::open_for_reading(url, sqlite_lock_wait_ms);
}

std::unique_ptr<runtime::Connection> open_naming_lock_holder(
    const runtime::DatabaseUrl& url,
    const std::function<std::unique_ptr<runtime::Connection>()>& open) {
  return runtime::open_naming_lock_holder(url, open);
}

int sqlite_lock_wait_ms(const runtime::RunContext& context) {
  return std::min(context.lock_timeout_seconds, INT_MAX / 1000) * 1000;
}

runtime::RunContext run_context(const Arguments& args, const std::string& command_line,
                                const runtime::DatabaseUrl& url, bool show_progress,
                                const Config* config) {
  runtime::RunContext context;
  context.actor = args.value("--actor").value_or(os_user());
  context.command_line = command_line;
  context.lock_timeout_seconds = non_negative(args, "--lock-timeout", "seconds", 60);
  context.single_transaction = args.flag("--single-transaction");
  context.commit_interval_ms =
      non_negative(args, "--commit-interval", "milliseconds", runtime::kDefaultCommitIntervalMs);
  context.backup_directory = backup_directory(args, url, config);
  // install and rollback (the commands that read the configuration) may encrypt their backups.
  if (config) context.backup_encryption = backup_encryption(args, *config);
  if (show_progress) {
    context.say = [](const std::string& line) { ProgressLines::instance().line(line); };
    if (stderr_is_terminal()) context.progress = draw_progress;
  }
  return context;
}

std::string joined_arguments(const std::string& command, const Arguments& args) {
  std::string out = command;
  bool database_value = false;
  for (const auto& word : args.words()) {
    // A database URL may carry a password: the audit log keeps it redacted.
    bool is_url = database_value || word.rfind("--db=", 0) == 0;
    out += " " + (is_url ? runtime::redact_password(word) : word);
    database_value = word == "--db";
  }
  return out;
}

int finish_report(const runtime::RunReport& report, const std::string& command, bool json,
                  const std::string& database) {
  // The report as the public API returns it, printed as the API's clients print it.
  api::RunResult run;
  api::detail::fill_run_result(run, report, command, database);
  return print_run(run, command, json);
}

}  // namespace migpkg::cli
