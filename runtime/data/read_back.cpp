#include "runtime/data/read_back.hpp"

#include <algorithm>
#include <exception>
#include <system_error>
#include <thread>

#include "runtime/engines/engine_registry.hpp"

namespace migpkg::data {
namespace {

// Parts of one table read at once: one client thread and one server process each. Two use
// both cores of a small machine (the bench's 5M-row read-back: 5.5 s -> 4.5 s); more than four
// only add connections.
std::size_t part_count() {
  return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 2, 4);
}

void digest_rows(runtime::Connection& connection, const runtime::Engine::DataRead& read,
                 ContentDigest& into) {
  runtime::engine_of(connection).visit_data(connection, read, [&](const ValueViews& row) {
    into.add(row);
  });
}

// Ends a read snapshot however the read-back ends; a failed rollback changes nothing read.
void end_snapshot(runtime::Connection& connection) {
  try {
    if (connection.in_transaction()) connection.rollback();
  } catch (...) {
  }
}

}  // namespace

ContentDigest read_back(runtime::Connection& connection, const OpenConnection& open_more,
                        const runtime::Engine::DataRead& read) {
  const runtime::Engine& engine = runtime::engine_of(connection);
  ContentDigest whole;
  if (!open_more || connection.in_transaction()) {
    digest_rows(connection, read, whole);
    return whole;
  }
  engine.begin_read_snapshot(connection);
  std::vector<std::unique_ptr<runtime::Connection>> others;
  std::vector<std::string> parts;
  try {
    parts = engine.read_parts(connection, *read.table, part_count());
    for (std::size_t k = 1; k < parts.size(); ++k) {
      others.push_back(open_more());
      engine.share_read_snapshot(connection, *others.back());
    }
  } catch (const std::exception&) {
    // No more connections to be had (the server's max_connections, a refused login): the
    // table is read whole on the run's connection, as a small one is.
    for (auto& other : others) end_snapshot(*other);
    end_snapshot(connection);
    digest_rows(connection, read, whole);
    return whole;
  }
  std::vector<ContentDigest> digests(parts.size());
  std::vector<std::exception_ptr> errors(parts.size());
  auto read_part = [&](std::size_t k) {
    runtime::Engine::DataRead part = read;
    if (!parts[k].empty())
      part.where = read.where.empty() ? parts[k] : "(" + read.where + ") AND " + parts[k];
    try {
      digest_rows(k == 0 ? connection : *others[k - 1], part, digests[k]);
    } catch (...) {
      errors[k] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t k = 1; k < parts.size(); ++k) {
    try {
      threads.emplace_back(read_part, k);
    } catch (const std::system_error&) {
      read_part(k);  // no thread to be had: that part is read here, after the others started
    }
  }
  read_part(0);
  for (std::thread& thread : threads) thread.join();
  for (auto& other : others) end_snapshot(*other);
  end_snapshot(connection);
  for (const std::exception_ptr& error : errors)
    if (error) std::rethrow_exception(error);
  for (const ContentDigest& digest : digests) whole.add(digest);
  return whole;
}

}  // namespace migpkg::data
