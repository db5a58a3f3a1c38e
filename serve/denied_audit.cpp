#include "serve/denied_audit.hpp"

#include <iostream>

#include "cli/runtime_support.hpp"
#include "runtime/history/bookkeeping.hpp"

namespace migpkg::serve {

DeniedAudit::DeniedAudit(std::string database_url, std::chrono::seconds interval)
    : url_(std::move(database_url)), interval_(interval) {
  thread_ = std::thread([this] { run(); });
}

DeniedAudit::~DeniedAudit() {
  stop();
}

void DeniedAudit::record(const std::string& actor, int status, const std::string& route) {
  std::lock_guard<std::mutex> lock(mutex_);
  Tally& t = pending_[{actor, status}];
  ++t.count;
  if (t.routes.size() < kMaxRoutes) t.routes.insert(route);
}

void DeniedAudit::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeniedAudit::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
    auto pending = std::move(pending_);
    pending_.clear();
    const bool last = stopping_;
    lock.unlock();
    if (!pending.empty()) flush(std::move(pending));
    lock.lock();
    if (last) return;
  }
}

void DeniedAudit::flush(std::map<std::pair<std::string, int>, Tally> pending) {
  try {
    auto connection = cli::open_for_reading(cli::parse_database(url_));
    runtime::Bookkeeping bk(*connection);
    if (!bk.tables_exist()) {
      for (const auto& [key, tally] : pending)
        std::cerr << "migpkg serve: " << tally.count << " request(s) denied with " << key.second
                  << " for " << key.first << " (not audited: the database has no migpkg tables)\n";
      return;
    }
    for (const auto& [key, tally] : pending) {
      std::string routes;
      for (const auto& r : tally.routes) routes += (routes.empty() ? "" : ", ") + r;
      const std::string detail =
          std::to_string(tally.count) + " request(s) refused with " + std::to_string(key.second) +
          (key.second == 401 ? " (no or unknown token)" : " (the token's role is too weak)") +
          ": " + routes;
      bk.audit_record(key.first, "serve", "serve (HTTP API)", "denied", detail);
    }
  } catch (const std::exception& e) {
    std::cerr << "migpkg serve: could not audit denied requests: " << e.what() << "\n";
  }
}

}  // namespace migpkg::serve
