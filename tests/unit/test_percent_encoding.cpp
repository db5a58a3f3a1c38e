#include <catch2/catch.hpp>

#include <cctype>
#include <random>
#include <string>

#include "compiler/util/percent_encoding.hpp"

namespace {

// The decoder the encoding promises: %XX back to its byte, everything else as it is.
std::string percent_decode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(text[i + 1]) &&
        std::isxdigit(text[i + 2])) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

TEST_CASE("percent_encode keeps letters, digits and the plain set, and is one-to-one",
          "[url]") {
  CHECK(migpkg::percent_encode("a b/c", migpkg::kUrlUnreserved) == "a%20b%2Fc");
  CHECK(migpkg::percent_encode("Odd.Name/x", "_-") == "Odd%2EName%2Fx");
  CHECK(migpkg::percent_encode("x-y_z.w~", migpkg::kUrlUnreserved) == "x-y_z.w~");

  std::mt19937 random(16);
  for (int round = 0; round < 2000; ++round) {
    std::string text(random() % 12, '\0');
    for (char& c : text) c = static_cast<char>(random() % 256);
    for (std::string_view plain : {migpkg::kUrlUnreserved, std::string_view("_-")}) {
      std::string encoded = migpkg::percent_encode(text, plain);
      INFO("round " << round);
      CHECK(percent_decode(encoded) == text);
      for (std::size_t i = 0; i < encoded.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(encoded[i]);
        bool allowed =
            std::isalnum(c) || c == '%' || plain.find(static_cast<char>(c)) != plain.npos;
        CHECK(allowed);
      }
    }
  }
}
