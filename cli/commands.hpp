#pragma once
// One function per command; each returns the process exit code.
#include <string>
#include <vector>

#include "cli/arguments.hpp"

namespace migpkg::cli {

struct Command {
  CommandSpec spec;
  int (*run)(const Arguments& args);
};

const std::vector<Command>& commands();

int run_validate(const Arguments& args);
int run_compile(const Arguments& args);
int run_convert(const Arguments& args);
int run_check(const Arguments& args);
int run_install(const Arguments& args);
int run_plan(const Arguments& args);
int run_rollback(const Arguments& args);
int run_status(const Arguments& args);
int run_history(const Arguments& args);
int run_restore(const Arguments& args);
int run_keygen(const Arguments& args);
int run_pack(const Arguments& args);
int run_verify(const Arguments& args);
int run_inspect(const Arguments& args);
int run_export(const Arguments& args);
int run_import(const Arguments& args);
int run_copy(const Arguments& args);
int run_index(const Arguments& args);
int run_key(const Arguments& args);
int run_backups(const Arguments& args);
int run_encrypt(const Arguments& args);
int run_decrypt(const Arguments& args);
int run_audit(const Arguments& args);
int run_token(const Arguments& args);
int run_serve(const Arguments& args);
int run_lint(const Arguments& args);
int run_diff(const Arguments& args);
int run_baseline(const Arguments& args);
int run_repair(const Arguments& args);

}  // namespace migpkg::cli
