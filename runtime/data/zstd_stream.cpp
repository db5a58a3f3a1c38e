#include "runtime/data/zstd_stream.hpp"

#include <zstd.h>

#include <stdexcept>

namespace migpkg::data {
namespace {

constexpr int kMaxWindowLog = 27;  // 128 MiB

void check(std::size_t code, const std::string& what) {
  if (ZSTD_isError(code)) throw std::runtime_error(what + ": " + ZSTD_getErrorName(code));
}

}  // namespace

ZstdCompressor::ZstdCompressor(ByteSink sink, int level)
    : context_(ZSTD_createCCtx()), sink_(std::move(sink)) {
  if (!context_) throw std::runtime_error("zstd: out of memory");
  check(ZSTD_CCtx_setParameter(context_, ZSTD_c_compressionLevel, level), "zstd");
  check(ZSTD_CCtx_setParameter(context_, ZSTD_c_checksumFlag, 1), "zstd");
  out_.resize(ZSTD_CStreamOutSize());
}

ZstdCompressor::~ZstdCompressor() {
  ZSTD_freeCCtx(context_);
}

void ZstdCompressor::run(const char* data, std::size_t size, int mode) {
  ZSTD_inBuffer in{data, size, 0};
  for (;;) {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    std::size_t left =
        ZSTD_compressStream2(context_, &out, &in, static_cast<ZSTD_EndDirective>(mode));
    check(left, "zstd compression");
    if (out.pos) sink_(out_.data(), out.pos);
    bool done = mode == ZSTD_e_end ? left == 0 : in.pos == in.size;
    if (done) return;
  }
}

void ZstdCompressor::write(const char* data, std::size_t size) {
  if (size) run(data, size, ZSTD_e_continue);
}

void ZstdCompressor::finish() {
  run(nullptr, 0, ZSTD_e_end);
}

ZstdDecompressor::ZstdDecompressor(ByteSink sink, std::string label)
    : context_(ZSTD_createDCtx()), sink_(std::move(sink)), label_(std::move(label)) {
  if (!context_) throw std::runtime_error("zstd: out of memory");
  check(ZSTD_DCtx_setParameter(context_, ZSTD_d_windowLogMax, kMaxWindowLog), "zstd");
  out_.resize(ZSTD_DStreamOutSize());
}

ZstdDecompressor::~ZstdDecompressor() {
  ZSTD_freeDCtx(context_);
}

void ZstdDecompressor::feed(const char* data, std::size_t size) {
  ZSTD_inBuffer in{data, size, 0};
  while (in.pos < in.size) {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    std::size_t hint = ZSTD_decompressStream(context_, &out, &in);
    if (ZSTD_isError(hint))
      throw std::runtime_error(label_ + ": not a valid zstd stream: " + ZSTD_getErrorName(hint));
    frame_open_ = hint != 0;
    if (out.pos) sink_(out_.data(), out.pos);
  }
  // Output the decoder still holds although the input is used up.
  for (;;) {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    ZSTD_inBuffer none{nullptr, 0, 0};
    std::size_t hint = ZSTD_decompressStream(context_, &out, &none);
    if (ZSTD_isError(hint))
      throw std::runtime_error(label_ + ": not a valid zstd stream: " + ZSTD_getErrorName(hint));
    if (out.pos) sink_(out_.data(), out.pos);
    if (out.pos < out.size) break;
  }
}

void ZstdDecompressor::finish() {
  if (frame_open_) throw std::runtime_error(label_ + ": the zstd stream is cut short");
}

}  // namespace migpkg::data
