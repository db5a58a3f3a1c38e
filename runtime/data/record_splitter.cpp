#include "runtime/data/record_splitter.hpp"

#include <cstring>

#include "runtime/data/row_codec.hpp"

namespace migpkg::data {

RecordSplitter::RecordSplitter(Sink sink, bool csv_quotes, std::size_t max_record_bytes,
                               std::string file)
    : sink_(std::move(sink)),
      csv_quotes_(csv_quotes),
      max_record_bytes_(max_record_bytes),
      file_(std::move(file)) {}

void RecordSplitter::emit(std::string_view record) {
  if (!record.empty() && record.back() == '\r') record.remove_suffix(1);
  // An empty CSV record is a row of one NULL; an empty NDJSON line is nothing.
  if (record.empty() && !csv_quotes_)
    throw DecodeError(file_ + ":" + std::to_string(line_) +
                      ": an empty line (every line is a row)");
  if (record.size() > max_record_bytes_)
    throw DecodeError(file_ + ":" + std::to_string(line_) + ": a record longer than " +
                      std::to_string(max_record_bytes_) + " bytes");
  ++records_;
  sink_(record, line_);
  line_ += newlines_ + 1;
  newlines_ = 0;
}

void RecordSplitter::feed(const char* data, std::size_t size) {
  std::size_t at = 0;
  if (buffer_.empty() && !csv_quotes_) {
    // Whole lines straight from `data` when nothing is pending: no copy on the common path.
    while (const void* found = std::memchr(data + at, '\n', size - at)) {
      std::size_t end = static_cast<const char*>(found) - data;
      emit(std::string_view(data + at, end - at));
      at = end + 1;
    }
    buffer_.assign(data + at, size - at);
    scanned_ = buffer_.size();
  } else {
    buffer_.append(data + at, size - at);
    std::size_t start = 0;  // of the current record in buffer_
    const char* b = buffer_.data();
    const std::size_t n = buffer_.size();
    for (std::size_t i = scanned_; i < n; ++i) {
      char c = b[i];
      if (csv_quotes_ && c == '"') {
        in_quotes_ = !in_quotes_;  // "" inside quotes toggles twice: still inside
      } else if (c == '\n') {
        if (in_quotes_) {
          ++newlines_;
        } else {
          emit(std::string_view(b + start, i - start));
          start = i + 1;
        }
      }
    }
    buffer_.erase(0, start);
    scanned_ = buffer_.size();
  }
  if (buffer_.size() > max_record_bytes_)
    throw DecodeError(file_ + ":" + std::to_string(line_) + ": a record longer than " +
                      std::to_string(max_record_bytes_) + " bytes");
}

void RecordSplitter::finish() {
  if (in_quotes_)
    throw DecodeError(file_ + ":" + std::to_string(line_) +
                      ": the file ends inside a quoted field");
  if (!buffer_.empty()) emit(buffer_);
  buffer_.clear();
  scanned_ = 0;
}

}  // namespace migpkg::data
