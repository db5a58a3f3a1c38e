#pragma once
// Denied requests (401, 403) in the audit log, aggregated so that a flood of bad requests cannot
// grow the database without bound: requests are counted in memory per (token name, status) and
// written every `interval` (and when the server stops) as one row per pair that had any, outcome
// "denied", its detail giving the count and up to kMaxRoutes distinct "METHOD /route". So a
// window writes at most (tokens + 1) x 2 rows, however many requests were refused. Writes happen
// on this object's thread, never on a request's, and only into a database that already has
// migpkg's tables (a denied request creates nothing).
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>

namespace migpkg::serve {

class DeniedAudit {
 public:
  DeniedAudit(std::string database_url, std::chrono::seconds interval);
  ~DeniedAudit();  // writes what is pending, then stops
  void record(const std::string& actor, int status, const std::string& route);
  void stop();

  static constexpr std::size_t kMaxRoutes = 8;

 private:
  struct Tally {
    std::uint64_t count = 0;
    std::set<std::string> routes;
  };
  void run();
  void flush(std::map<std::pair<std::string, int>, Tally> pending);

  std::string url_;
  std::chrono::seconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::pair<std::string, int>, Tally> pending_;
  std::thread thread_;
};

}  // namespace migpkg::serve
