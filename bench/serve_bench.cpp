// bench/serve_bench.sh's client: N connections (one thread each, keep-alive) send GET PATH with a
// bearer token to a running `migpkg serve` for SECONDS, and the figures are printed as one JSON
// line: requests, errors, requests per second, p50 / p99 / max latency in milliseconds.
//   migpkg_serve_bench HOST PORT TOKEN PATH CONNECTIONS SECONDS
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: %s HOST PORT TOKEN PATH CONNECTIONS SECONDS\n", argv[0]);
    return 2;
  }
  const std::string host = argv[1], token = argv[3], path = argv[4];
  const int port = std::stoi(argv[2]), connections = std::stoi(argv[5]);
  const double seconds = std::stod(argv[6]);
  using clock = std::chrono::steady_clock;
  const auto end = clock::now() + std::chrono::duration_cast<clock::duration>(
                                      std::chrono::duration<double>(seconds));
  std::vector<std::vector<double>> latencies(connections);
  std::atomic<long> errors{0};
  std::vector<std::thread> threads;
  const auto start = clock::now();
  for (int i = 0; i < connections; ++i)
    threads.emplace_back([&, i] {
      httplib::Client client(host, port);
      client.set_keep_alive(true);
      const httplib::Headers headers = {{"Authorization", "Bearer " + token}};
      while (clock::now() < end) {
        const auto t0 = clock::now();
        auto result = client.Get(path.c_str(), headers);
        const double ms = std::chrono::duration<double, std::milli>(clock::now() - t0).count();
        if (!result || result->status != 200) ++errors;
        latencies[i].push_back(ms);
      }
    });
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(clock::now() - start).count();
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto at = [&](double q) {
    return all.empty() ? 0.0
                       : all[std::min(all.size() - 1, static_cast<std::size_t>(q * all.size()))];
  };
  std::printf(
      "{\"requests\": %zu, \"errors\": %ld, \"seconds\": %.3f, \"rps\": %.1f, \"p50_ms\": %.3f, "
      "\"p99_ms\": %.3f, \"max_ms\": %.3f}\n",
      all.size(), errors.load(), elapsed, all.size() / elapsed, at(0.50), at(0.99),
      all.empty() ? 0.0 : all.back());
  return errors.load() == 0 ? 0 : 1;
}
