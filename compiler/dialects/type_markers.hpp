#pragma once
// Where a dialect spells two portable types alike (MySQL: uuid and char(36) are both CHAR(36),
// timestamptz and timestamp both DATETIME(6)), migpkg's DDL ends the column's comment with a
// marker naming the declared type, and the engine's catalog reader reads the column back as
// that type (docs/dialects.md, "MySQL"). Header-only: the compiler writes the marker and the
// MySQL engine module, which links no compiler code, reads it.
#include <string>
#include <string_view>

namespace migpkg::type_markers {

// The markers. A comment is marked when it is exactly the marker, or ends with a space and the
// marker: the author's own text comes first and is kept.
inline constexpr std::string_view kUuid = "migpkg:uuid";
inline constexpr std::string_view kTimestampTz = "migpkg:timestamptz";

// The comment a column gets: the author's text, then the marker.
inline std::string marked(const std::string& comment, std::string_view marker) {
  return comment.empty() ? std::string(marker) : comment + " " + std::string(marker);
}

// Whether `comment` carries `marker` as migpkg writes it.
inline bool has_marker(std::string_view comment, std::string_view marker) {
  if (comment == marker) return true;
  return comment.size() > marker.size() &&
         comment.substr(comment.size() - marker.size()) == marker &&
         comment[comment.size() - marker.size() - 1] == ' ';
}

// The author's text of a comment, without the marker it carries (if any).
inline std::string author_text(std::string_view comment, std::string_view marker) {
  if (!has_marker(comment, marker)) return std::string(comment);
  if (comment == marker) return {};
  return std::string(comment.substr(0, comment.size() - marker.size() - 1));
}

}  // namespace migpkg::type_markers
