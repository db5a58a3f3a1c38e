#pragma once
// Cuts a table file's bytes, given in chunks of any size, into records: NDJSON lines, or CSV
// records (whose quoted fields may hold line ends). A record longer than the bound is refused
// before it is buffered whole, so a file without line ends cannot exhaust memory. Line ends are
// LF or CRLF; the last record may lack one. An empty NDJSON line is refused (a row is never
// empty); an empty CSV record is passed on (one NULL field).
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace migpkg::data {

class RecordSplitter {
 public:
  // `record(text, line)`: the record without its line end, and the line it starts on.
  using Sink = std::function<void(std::string_view record, std::uint64_t line)>;
  RecordSplitter(Sink sink, bool csv_quotes, std::size_t max_record_bytes, std::string file);
  void feed(const char* data, std::size_t size);
  void finish();
  std::uint64_t records() const { return records_; }

 private:
  void emit(std::string_view record);  // without the '\n'

  Sink sink_;
  bool csv_quotes_;
  std::size_t max_record_bytes_;
  std::string file_;
  std::string buffer_;          // the start of a record not yet complete
  std::size_t scanned_ = 0;     // how much of buffer_ has been looked at
  bool in_quotes_ = false;      // CSV: inside a quoted field at scanned_
  std::uint64_t line_ = 1;      // the line buffer_ starts on
  std::uint64_t newlines_ = 0;  // line ends inside the scanned part of buffer_ (CSV)
  std::uint64_t records_ = 0;
};

}  // namespace migpkg::data
