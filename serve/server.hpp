#pragma once
// `migpkg serve`: the HTTP/1.1 JSON API over one database (docs/serve.md). Every route but
// /healthz and the status page needs a bearer token of a strong enough role; errors are problem
// details; reads call the same report functions as the CLI's --json (cli/report_json.hpp).
#include <chrono>
#include <cstddef>
#include <string>

#include "cli/arguments.hpp"

namespace migpkg::serve {

struct ServeOptions {
  std::string database;  // the --db URL
  std::string tokens_path;
  std::string host = "127.0.0.1";
  int port = 8470;
  bool allow_remote = false;
  std::string packages_dir;     // "" = none: packages only as request bodies
  std::string data_dir;         // --data-dir: data sets and SQLite copy ends requests may name
  std::string trust;            // --trust, "" = the default trust directory
  std::string backup_dir;       // --backup-dir, "" = the CLI's default for the database
  std::string operations_file;  // --operations-file: the operations' history (JSON lines)
  std::size_t threads = 8;
  std::size_t max_body = 64u << 20;
  std::chrono::seconds audit_interval{60};
};

// From `serve`'s arguments; a UsageError for a bad value or a non-loopback --listen without
// --allow-remote.
ServeOptions serve_options(const cli::Arguments& args);
bool is_loopback_host(const std::string& host);

// Serves until SIGTERM or SIGINT; returns the exit code.
int run_server(const ServeOptions& options);

}  // namespace migpkg::serve
