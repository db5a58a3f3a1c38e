#include "unit/crash_test_support.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "runtime/check/schema_snapshot.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "unit/test_support.hpp"

namespace migpkg::test {

Background start(const std::string& arguments) {
  Background b;
  std::string dir = make_temp_dir();
  b.out = dir + "/out";
  b.err = dir + "/err";
  std::string command = "cd '" + source_dir() + "' && exec '" + binary() + "' " + arguments +
                        " </dev/null >'" + b.out + "' 2>'" + b.err + "'";
  b.pid = fork();
  if (b.pid == 0) {
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return b;
}

int wait_exit(const Background& b) {
  int status = 0;
  waitpid(b.pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void kill_hard(const Background& b) {
  kill(b.pid, SIGKILL);
  wait_exit(b);
}

std::string scalar(const std::string& url, const std::string& sql) {
  try {
    auto connection = migpkg::runtime::open_url(url);
    auto result = connection->query(sql);
    return result.rows.empty() ? "" : result.rows[0][0].value_or("NULL");
  } catch (const std::exception&) {
    return "";  // tables not created yet
  }
}

bool wait_for(const std::function<bool()>& condition, int seconds, int poll_milliseconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(poll_milliseconds));
  }
  return false;
}

std::vector<std::string> user_schema(const std::string& url) {
  auto connection = migpkg::runtime::open_url(url);
  return migpkg::runtime::inspect_schema(*connection).objects;
}

void for_each_crash_database(
    const std::string& prefix,
    const std::function<void(const std::string& url, const std::string& engine)>& body) {
  {
    INFO("engine: sqlite");
    body("sqlite:" + make_temp_dir() + "/" + prefix + ".db", "sqlite");
  }
  for (const ServerEngine& engine : server_engines()) {
    std::string server = engine.server_url();
    if (server.empty()) {
      WARN(std::string(engine.name) + " part skipped: " + engine.variable + " is not set");
      continue;
    }
    migpkg::runtime::TemporaryDatabase database(server, prefix);
    INFO("engine: " << engine.dialect);
    body(database.url(), engine.dialect);
  }
}

}  // namespace migpkg::test
