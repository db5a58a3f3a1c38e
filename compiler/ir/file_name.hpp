#pragma once
// The file part of a SourceLocation: a pointer to a process-wide interned copy of the path, so
// copying a location (which every IR node, plan step, column and constraint carries) copies a
// pointer instead of allocating a string. Interned names are never freed; equal paths share one
// copy, so equality is pointer equality. Front ends create one FileName per file and reuse it.
#include <functional>
#include <iosfwd>
#include <string>

namespace migpkg {

class FileName {
 public:
  FileName() noexcept = default;                              // the empty name (generated nodes)
  FileName(const std::string& text) : text_(intern(text)) {}  // NOLINT: implicit on purpose
  FileName(const char* text) : text_(intern(text)) {}         // NOLINT: implicit on purpose

  const std::string& str() const noexcept { return text_ ? *text_ : empty_string(); }
  operator const std::string&() const noexcept { return str(); }  // NOLINT: implicit on purpose
  bool empty() const noexcept { return text_ == nullptr; }

  // Interned: the same text is the same pointer.
  friend bool operator==(const FileName& a, const FileName& b) noexcept {
    return a.text_ == b.text_;
  }
  friend bool operator!=(const FileName& a, const FileName& b) noexcept {
    return a.text_ != b.text_;
  }
  friend bool operator==(const FileName& a, const std::string& b) noexcept { return a.str() == b; }
  friend bool operator!=(const FileName& a, const std::string& b) noexcept { return a.str() != b; }
  friend bool operator==(const FileName& a, const char* b) noexcept { return a.str() == b; }
  friend bool operator!=(const FileName& a, const char* b) noexcept { return a.str() != b; }
  // By text, so that diagnostics sort as they did when the file was a std::string.
  friend bool operator<(const FileName& a, const FileName& b) noexcept {
    return a.text_ != b.text_ && a.str() < b.str();
  }

 private:
  // nullptr for "", else the interned copy of `text`.
  static const std::string* intern(const std::string& text);
  static const std::string& empty_string() noexcept;

  const std::string* text_ = nullptr;
};

std::ostream& operator<<(std::ostream& out, const FileName& name);

}  // namespace migpkg

namespace std {
template <>
struct hash<migpkg::FileName> {
  size_t operator()(const migpkg::FileName& name) const noexcept {
    return hash<const void*>()(&name.str());
  }
};
}  // namespace std
