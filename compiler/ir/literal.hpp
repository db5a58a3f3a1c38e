#pragma once
// A scalar literal carried into SQL (defaults, lookup keys and values, parameters).
#include <cstdint>
#include <string>

namespace migpkg::ir {

struct Literal {
  enum class Kind { Null, Bool, Integer, Real, String } kind = Kind::Null;
  bool boolean = false;
  std::int64_t integer = 0;
  double real = 0;
  std::string text;  // for String; also the exact source spelling of numbers
};

}  // namespace migpkg::ir
