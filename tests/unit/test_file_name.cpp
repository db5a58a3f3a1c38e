#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "compiler/ir/file_name.hpp"
#include "compiler/ir/source_location.hpp"

using migpkg::FileName;
using migpkg::SourceLocation;

TEST_CASE("file names are interned: equal text shares one copy") {
  std::string path = "/a/path/longer/than/the/short/string/buffer/0042.mig";
  FileName a = path;
  FileName b = path.c_str();
  CHECK(a == b);
  CHECK(&a.str() == &b.str());
  CHECK(a.str() == path);
  const std::string& text = a;
  CHECK(text == path);
  CHECK(a == path);
  CHECK(a != FileName("other.mig"));
  CHECK(a != "other.mig");
}

TEST_CASE("the empty file name is the default and equals an interned empty string") {
  FileName none;
  CHECK(none.empty());
  CHECK(none.str().empty());
  CHECK(none == FileName(std::string()));
  CHECK(none == "");
  CHECK_FALSE(FileName("x").empty());
}

TEST_CASE("file names order by text, as strings did") {
  FileName b = "b.mig", a = "a.mig", a2 = "a.mig";
  CHECK(a < b);
  CHECK_FALSE(b < a);
  CHECK_FALSE(a < a2);
  CHECK(FileName() < a);
}

TEST_CASE("locations copy their file name and keep it in children") {
  SourceLocation root{"dir/file.json", "", 0, 0};
  SourceLocation child = root.child("migration").child(2);
  CHECK(child.file == root.file);
  CHECK(child.pointer == "/migration/2");
  SourceLocation copy = child;
  CHECK(&copy.file.str() == &root.file.str());
}

TEST_CASE("interning from several threads yields one copy per text") {
  std::vector<const std::string*> seen(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < seen.size(); ++i)
    threads.emplace_back([&seen, i] {
      for (int n = 0; n < 200; ++n) FileName("thread/" + std::to_string(n) + ".mig");
      seen[i] = &FileName("thread/shared.mig").str();
    });
  for (auto& t : threads) t.join();
  for (const std::string* p : seen) CHECK(p == seen.front());
}
