#pragma once
// zstd compression of data-set table files, streaming in both directions so that memory stays
// bounded by a buffer, not by the table. The output is a function of the input alone (one
// thread, a fixed level), so a data set written twice is the same bytes.
#include <cstddef>
#include <functional>
#include <string>

typedef struct ZSTD_CCtx_s ZSTD_CCtx;
typedef struct ZSTD_DCtx_s ZSTD_DCtx;

namespace migpkg::data {

using ByteSink = std::function<void(const char* data, std::size_t size)>;

class ZstdCompressor {
 public:
  explicit ZstdCompressor(ByteSink sink, int level = 3);
  ~ZstdCompressor();
  ZstdCompressor(const ZstdCompressor&) = delete;
  ZstdCompressor& operator=(const ZstdCompressor&) = delete;
  void write(const char* data, std::size_t size);
  void finish();  // ends the frame

 private:
  void run(const char* data, std::size_t size, int mode);
  ZSTD_CCtx* context_;
  ByteSink sink_;
  std::string out_;
};

class ZstdDecompressor {
 public:
  // `label` names the file in errors. Frames that need a window over 128 MiB are refused
  // (a hostile file cannot make the reader allocate more).
  ZstdDecompressor(ByteSink sink, std::string label);
  ~ZstdDecompressor();
  ZstdDecompressor(const ZstdDecompressor&) = delete;
  ZstdDecompressor& operator=(const ZstdDecompressor&) = delete;
  void feed(const char* data, std::size_t size);
  void finish();  // throws when the input ended inside a frame

 private:
  ZSTD_DCtx* context_;
  ByteSink sink_;
  std::string label_;
  std::string out_;
  bool frame_open_ = false;
};

}  // namespace migpkg::data
