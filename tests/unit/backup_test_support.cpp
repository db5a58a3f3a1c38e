#include "unit/backup_test_support.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runtime/backup/backup_internal.hpp"
#include "unit/test_support.hpp"

namespace migpkg::test {
namespace {

namespace detail = migpkg::runtime::backup_detail;

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() > suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string without_zst(const std::string& path) {
  return path.substr(0, path.size() - 4);
}

}  // namespace

std::string expanded_text(const std::string& path) {
  std::string out;
  detail::read_data_file(path, [&](const char* data, std::size_t size) { out.append(data, size); });
  return out;
}

void rewrite_data_file(const std::string& path, const std::string& text) {
  std::string plain = path + ".plain";
  write_file(plain, text);
  unlink(path.c_str());
  if (ends_with(path, ".zst"))
    detail::compress_file(plain, path);
  else
    REQUIRE(rename(plain.c_str(), path.c_str()) == 0);
  unlink(plain.c_str());
}

void flip_middle_byte(const std::string& path) {
  std::string content = read_file(path);
  REQUIRE(content.size() > 16);
  content[content.size() / 2] = static_cast<char>(~content[content.size() / 2]);
  write_file(path, content);
}

std::string make_uncompressed(const std::string& path) {
  struct stat info {};
  REQUIRE(stat(path.c_str(), &info) == 0);
  if (S_ISDIR(info.st_mode)) {
    std::string manifest_path = path + "/manifest.json";
    auto manifest = nlohmann::json::parse(read_file(manifest_path));
    for (auto& table : manifest["tables"]) {
      std::string file = table["file"];
      REQUIRE(ends_with(file, ".zst"));
      detail::expand_data_file(path + "/" + file, path + "/" + without_zst(file));
      unlink((path + "/" + file).c_str());
      table["file"] = without_zst(file);
    }
    manifest.erase("compression");
    write_file(manifest_path, manifest.dump(2));
    return path;
  }
  REQUIRE(ends_with(path, ".zst"));
  std::string plain = without_zst(path);
  detail::expand_data_file(path, plain);
  auto manifest = nlohmann::json::parse(read_file(path + ".manifest.json"));
  manifest.erase("compression");
  write_file(plain + ".manifest.json", manifest.dump(2));
  unlink(path.c_str());
  unlink((path + ".manifest.json").c_str());
  return plain;
}

}  // namespace migpkg::test
