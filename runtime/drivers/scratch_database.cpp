// ScratchDatabase (connection.hpp): a throwaway PostgreSQL database for `check` and the tests.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <random>

#include "runtime/drivers/connection.hpp"

namespace migpkg::runtime {
namespace {

std::string quote_identifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Unique across processes (pid), runs (time), calls (counter) and, for good measure, chance.
std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  std::random_device entropy;
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::to_string(getpid()) + "_" +
         std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count()) + "_" +
         std::to_string(++counter) + "_" + std::to_string(entropy() % 100000);
}

}  // namespace

ScratchDatabase::ScratchDatabase(const std::string& server_url, const std::string& prefix)
    : server_url_(server_url), name_(prefix + "_" + unique_suffix()) {
  url_ = with_database(server_url_, name_);
  open_postgresql(server_url_)->execute("CREATE DATABASE " + quote_identifier(name_));
}

ScratchDatabase::~ScratchDatabase() {
  try {
    open_postgresql(server_url_)
        ->execute("DROP DATABASE IF EXISTS " + quote_identifier(name_) + " WITH (FORCE)");
  } catch (const std::exception&) {
    // A destructor cannot report; the uniquely named database is merely left behind.
  }
}

}  // namespace migpkg::runtime
