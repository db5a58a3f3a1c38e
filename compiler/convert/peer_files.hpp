#pragma once
// File-system and text helpers the peer readers share.
#include <string>
#include <vector>

namespace migpkg::convert {

bool is_regular_file(const std::string& path);
bool is_dir(const std::string& path);
bool is_symbolic_link(const std::string& path);
// Entries of a directory (names only, no "." or ".."), sorted byte-wise.
std::vector<std::string> dir_entries(const std::string& path);
// Files below `root` (relative paths, sorted), following no symbolic links.
std::vector<std::string> files_below(const std::string& root);
// A peer file's text: at most 16 MiB, UTF-8, CR LF read as LF. Throws PeerError naming it.
std::string read_peer_file(const std::string& path);
// "dir/name" without doubling the slash.
std::string join_path(const std::string& dir, const std::string& name);

std::vector<std::string> split_lines(const std::string& text);
std::string trim(const std::string& text);
std::string lower(std::string text);
bool starts_with(const std::string& text, const std::string& prefix);
bool ends_with(const std::string& text, const std::string& suffix);
// `lines[from, to)` joined with '\n', without blank lines at either end.
std::string join_lines(const std::vector<std::string>& lines, std::size_t from, std::size_t to);

// Compares two strings of digits as numbers (leading zeros ignored, any length).
int compare_numbers(const std::string& a, const std::string& b);

// PostgreSQL statements that refuse to run inside a transaction block (CREATE INDEX
// CONCURRENTLY and its kin, VACUUM): the first one found, as "KEYWORDS at line N", or "".
std::string statement_needing_no_transaction(const std::string& sql);

}  // namespace migpkg::convert
