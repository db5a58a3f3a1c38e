#pragma once
// Base64 (RFC 4648, standard alphabet, with padding) for binary values in data-set files.
// Appending, so that a row's encoding reuses one buffer.
#include <string>
#include <string_view>

namespace migpkg::data {

void append_base64(std::string& out, std::string_view bytes);

// Decodes strictly: only the alphabet, padding to a multiple of four, no white space, unused
// bits zero (so every byte string has exactly one spelling). False when `text` breaks that.
bool decode_base64(std::string_view text, std::string& out);

}  // namespace migpkg::data
