#pragma once
// Helpers for tests of compressed backups: read and rewrite a compressed data file as its
// plain text, damage one byte, and turn a backup into the uncompressed form migpkg wrote before
// backups were compressed (to check that those still restore).
#include <string>

namespace migpkg::test {

// A backup data file's content, decompressed when its name ends in ".zst".
std::string expanded_text(const std::string& path);
// Replaces a data file with `text`, compressed when its name ends in ".zst".
void rewrite_data_file(const std::string& path, const std::string& text);
// Flips every bit of the byte in the middle of the file.
void flip_middle_byte(const std::string& path);
// Rewrites the backup at `path` (as take_backup returned it) the way backups were written
// before compression: every ".zst" data file expanded under its name without ".zst", the
// manifest naming those and without "compression". Returns the path restore takes then.
std::string make_uncompressed(const std::string& path);

}  // namespace migpkg::test
