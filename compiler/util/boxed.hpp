#pragma once
// Boxed<T>: an optional value kept on the heap. It offers the part of std::optional's interface
// the IR uses (test, *, ->, value(), emplace, reset, assignment from a T, an optional<T> or
// nullopt) and copies deeply, like an optional; but an empty one is one pointer, not the size of
// a T. ir::Step holds a declarative change (about 1 KB) and a transform that most steps lack:
// as std::optional they made every step 2.3 KB, and a run of 500 migrations touched ~4 MB, about
// a thousand page faults, for steps that are mostly raw SQL.
#include <memory>
#include <optional>
#include <utility>

namespace migpkg {

template <typename T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(std::nullopt_t) {}                                   // NOLINT: implicit, as std::optional's
  Boxed(const T& value) : p_(std::make_unique<T>(value)) {}  // NOLINT
  Boxed(T&& value) : p_(std::make_unique<T>(std::move(value))) {}  // NOLINT
  Boxed(std::optional<T> value) { *this = std::move(value); }      // NOLINT
  Boxed(const Boxed& other) : p_(other.p_ ? std::make_unique<T>(*other.p_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    if (this != &other) p_ = other.p_ ? std::make_unique<T>(*other.p_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  Boxed& operator=(std::nullopt_t) {
    p_.reset();
    return *this;
  }
  Boxed& operator=(const T& value) {
    p_ = std::make_unique<T>(value);
    return *this;
  }
  Boxed& operator=(T&& value) {
    p_ = std::make_unique<T>(std::move(value));
    return *this;
  }
  Boxed& operator=(std::optional<T> value) {
    if (value)
      p_ = std::make_unique<T>(std::move(*value));
    else
      p_.reset();
    return *this;
  }

  template <typename... Args>
  T& emplace(Args&&... args) {
    p_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *p_;
  }
  void reset() { p_.reset(); }

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return p_ != nullptr; }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  T& value() {
    if (!p_) throw std::bad_optional_access();
    return *p_;
  }
  const T& value() const {
    if (!p_) throw std::bad_optional_access();
    return *p_;
  }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace migpkg
