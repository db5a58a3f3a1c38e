#pragma once
// What the engines' run locks (runtime/engines/<name>/run_lock.cpp) share: polling a
// non-blocking attempt every ~100 ms instead of blocking, so that a run that gives up can still
// say who holds the lock, and the one-line form of a holder's description.
#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

namespace migpkg::runtime::lock_detail {

inline constexpr auto kPollInterval = std::chrono::milliseconds(100);
inline constexpr const char* kLockedBy = "database is locked by another migpkg run";

// Calls `try_once` until it succeeds or `timeout_seconds` have passed; 0 (or less) tries once.
template <typename TryOnce>
bool poll(int timeout_seconds, TryOnce try_once) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  for (;;) {
    if (try_once()) return true;
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(kPollInterval, deadline - now));
  }
}

// Text from a lock file or the server as one line of at most `max_bytes` of valid, printable
// UTF-8: it ends up in a one-line lock file and in error messages, which the CLI may print as
// JSON (invalid UTF-8 cannot be encoded there) or to a terminal (control characters garble it).
std::string one_line(const std::string& text, std::size_t max_bytes);

}  // namespace migpkg::runtime::lock_detail
