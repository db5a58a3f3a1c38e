#pragma once
// GET /metrics: requests by route, method and status, and their durations as a histogram, in
// the Prometheus text format (version 0.0.4). Routes are the server's own patterns ("other"
// for a path no route has), so a client cannot grow the set of series.
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace migpkg::serve {

class Metrics {
 public:
  void record(const std::string& route, const std::string& method, int status, double seconds);
  std::string prometheus_text() const;

  static constexpr std::array<double, 10> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                      0.025,  0.05,  0.1,    0.5,   2.5};

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> durations_;
};

}  // namespace migpkg::serve
