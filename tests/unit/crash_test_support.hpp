#pragma once
// What the crash and concurrency tests share: migpkg run in the background and killed for real,
// single values read from a database that may not have migpkg's tables yet, polling, and the
// engines they run on (SQLite, PostgreSQL and MariaDB).
#include <functional>
#include <string>
#include <vector>

namespace migpkg::test {

// A migpkg process in the background, its output going to files.
struct Background {
  int pid = -1;
  std::string out, err;  // paths of its stdout and stderr
};

// Starts `migpkg ARGUMENTS` (shell-quoted) in the repository root, stdin /dev/null.
Background start(const std::string& arguments);
// Reaps it: its exit code, or 128 + the signal that ended it.
int wait_exit(const Background& b);
// SIGKILL, then reaps it.
void kill_hard(const Background& b);

// The first column of the first row of `sql` on `url` ("NULL" for NULL); "" when there is no
// row or the statement fails (for example before migpkg created its tables).
std::string scalar(const std::string& url, const std::string& sql);

// Polls `condition` every `poll_milliseconds` for up to `seconds`.
bool wait_for(const std::function<bool()>& condition, int seconds = 30, int poll_milliseconds = 50);

// The user schema of `url` as inspect_schema sees it (migpkg_* tables left out).
std::vector<std::string> user_schema(const std::string& url);

// for_each_database_url (test_support.hpp) that also tells `body` the engine ("sqlite",
// "postgresql", "mysql"), for the expectations that differ: a new SQLite file, then a scratch
// database named after `prefix` on each of server_engines().
void for_each_crash_database(
    const std::string& prefix,
    const std::function<void(const std::string& url, const std::string& engine)>& body);

}  // namespace migpkg::test
