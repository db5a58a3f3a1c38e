#pragma once
// UTC instants as the signed registry files write them: RFC 3339 with seconds and "Z"
// ("2026-12-06T14:30:00Z"), read strictly (no offsets, no fractions) so that one instant has one
// spelling and a signed date cannot be read two ways.
#include <cstdint>
#include <optional>
#include <string>

namespace migpkg::package {

std::int64_t unix_now();
std::string format_utc(std::int64_t seconds);
std::optional<std::int64_t> parse_utc(const std::string& text);

// An expiry as `index build --expires` takes it, relative to `now`: "30d" or "12h" (a duration),
// "2027-01-31" (the end of that UTC day) or an RFC 3339 UTC instant. nullopt when malformed.
std::optional<std::int64_t> parse_expiry(const std::string& text, std::int64_t now);

}  // namespace migpkg::package
