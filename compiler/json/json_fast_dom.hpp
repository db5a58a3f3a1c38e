#pragma once
// The fast path of parse_json_text (json_document.hpp): builds the same nlohmann DOM directly
// from the text, without nlohmann's lexer, which copies every character of every token into
// buffers kept for error messages and cost more than building the tree (half of loading a
// portable-migration-v1 source).
//
// It handles the common case only and declines everything else: a string with a \u escape, a
// number with a fraction or exponent or more than 18 digits, a byte-order mark, a duplicate
// key, nesting at the limit, and any syntax error. Declining is always safe: the caller then
// parses with the full parser, which gives the precise diagnostic. So the fast path must only
// never accept what the full parser refuses, nor build a different tree (number kinds
// included); tests/unit/test_json_fast_dom.cpp checks both on every JSON file of the project
// and on generated and mutated documents.
#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

namespace migpkg {

// True with `out` set to the document; false when the full parser must decide (`out` is then
// unspecified). `text` must be valid UTF-8 (first_invalid_utf8), which parse_json_text checks
// first; `max_depth` is JsonLimits::max_depth.
bool parse_json_fast(std::string_view text, std::size_t max_depth, nlohmann::json& out);

}  // namespace migpkg
