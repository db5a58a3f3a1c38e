#pragma once
// One operation: a long piece of work (install, rollback, restore, export, import, copy) run on
// a worker thread of the OperationRegistry (operation_registry.hpp), with the lifecycle
// pending -> running -> completed | failed | cancelled, its progress, a bounded log and the
// result: the same JSON the command prints with --json. docs/operations.md.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace migpkg::operations {

enum class OperationState { pending, running, completed, failed, cancelled };
std::string to_string(OperationState state);
// The state a name stands for; nullopt for an unknown name.
std::optional<OperationState> state_from_string(const std::string& name);
// completed, failed and cancelled: the operation will not change any more.
bool is_finished(OperationState state);

struct OperationProgress {
  std::string unit;                   // "steps", "migrations" or "rows"
  std::uint64_t done = 0, total = 0;  // total 0 = unknown
  double rate_per_second = 0;         // 0: the registry works it out from done and time
  std::optional<double> eta_seconds;  // unset: the registry works it out when total is known
};

// Why an operation did not complete, as the command line says it: code is the report's status
// ("failed", "refused", "locked", "drift", "cancelled", "interrupted", "usage") and exit_code
// the command's exit code for it (docs/cli.md, "Exit codes").
struct OperationProblem {
  std::string code;
  std::string message;
  int exit_code = 1;
};

// The problem code and exit code of a cancelled operation (docs/operations.md).
inline constexpr const char* kCancelledCode = "cancelled";
inline constexpr int kCancelledExitCode = 6;
// An operation that was pending or running when its process ended, as a restart shows it.
inline constexpr const char* kInterruptedCode = "interrupted";

// What the work function returns: the result JSON (may be set with a problem too: a failed
// install still has its report), or a problem. A problem with code "cancelled" ends the
// operation cancelled, any other failed, none completed.
struct OperationOutcome {
  std::string result_json;
  std::optional<OperationProblem> problem;
};

struct OperationRecord {
  std::string id, kind, requested_by;  // kind: install|rollback|restore|export|import|copy
  std::string request_json;            // what was asked (no secrets)
  OperationState state = OperationState::pending;
  std::string created_at, started_at, finished_at;  // RFC 3339 UTC, empty if not yet
  OperationProgress progress;
  std::vector<std::string> log;  // bounded: the last kMaxLogLines lines
  std::string result_json;       // the same JSON the CLI prints with --json; empty if none
  std::optional<OperationProblem> problem;
  // One JSON object (docs/operations.md, "History file"): request and result nested as JSON.
  std::string to_json() const;
  // The record a to_json() text holds; std::runtime_error when it is not one.
  static OperationRecord from_json(const std::string& text);
};

inline constexpr std::size_t kMaxLogLines = 200;
inline constexpr std::size_t kMaxLogLineBytes = 2000;

enum class CancelResult { not_found, already_finished, requested };
std::string to_string(CancelResult result);

}  // namespace migpkg::operations
