#include "serve/metrics.hpp"

#include <sstream>

namespace migpkg::serve {

void Metrics::record(const std::string& route, const std::string& method, int status,
                     double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{route, method, status}];
  Histogram& h = durations_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::prometheus_text() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::ostringstream out;
  out << "# HELP migpkg_http_requests_total HTTP requests answered, by route, method and status.\n"
         "# TYPE migpkg_http_requests_total counter\n";
  for (const auto& [key, count] : requests_)
    out << "migpkg_http_requests_total{route=\"" << std::get<0>(key) << "\",method=\""
        << std::get<1>(key) << "\",status=\"" << std::get<2>(key) << "\"} " << count << "\n";
  out << "# HELP migpkg_http_request_duration_seconds Time from routing to response, by route.\n"
         "# TYPE migpkg_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : durations_) {
    const std::string label = "route=\"" + route + "\"";
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
      out << "migpkg_http_request_duration_seconds_bucket{" << label << ",le=\"" << kBuckets[i]
          << "\"} " << h.buckets[i] << "\n";
    out << "migpkg_http_request_duration_seconds_bucket{" << label << ",le=\"+Inf\"} " << h.count
        << "\n";
    out << "migpkg_http_request_duration_seconds_sum{" << label << "} " << h.sum << "\n";
    out << "migpkg_http_request_duration_seconds_count{" << label << "} " << h.count << "\n";
  }
  return out.str();
}

}  // namespace migpkg::serve
