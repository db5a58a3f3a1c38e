// Where `-o OUT` writes (cli/output.cpp): a regular file is replaced whole through a temporary
// file and a rename; a FIFO or device is written into, never replaced by a file; a symbolic
// link keeps pointing where it did.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <future>

#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

const char* kSource = "tests/cases/minimal";

// Everything written into the FIFO until its writer closes it (or 60 s pass).
std::string drain(int fd) {
  std::string out;
  bool opened = false;  // a read of 0 before any writer came is not the end
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < give_up) {
    pollfd p{fd, POLLIN, 0};
    poll(&p, 1, 100);
    char buffer[4096];
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      out.append(buffer, static_cast<std::size_t>(n));
      opened = true;
    } else if (n == 0 && opened) {
      break;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("an output that is a FIFO is written into, not replaced", "[cli]") {
  REQUIRE(path_exists(source_dir() + "/" + kSource));
  std::string dir = make_temp_dir();
  std::string fifo = dir + "/plan.fifo";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  int reader = open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  auto received = std::async(std::launch::async, drain, reader);
  CommandResult run = run_cli(std::string("compile ") + kSource + " -d sqlite -o " + fifo);
  std::string text = received.get();
  close(reader);
  CHECK(run.exit_code == 0);
  CHECK(text.rfind("-- migpkg ", 0) == 0);
  struct stat info {};
  REQUIRE(lstat(fifo.c_str(), &info) == 0);
  CHECK(S_ISFIFO(info.st_mode));
  CHECK(list_dir(dir) == std::vector<std::string>{"plan.fifo"});  // no temporary left
}

TEST_CASE("an output that is a symbolic link replaces the file it names", "[cli]") {
  std::string dir = make_temp_dir();
  write_file(dir + "/plan.sql", "old\n");
  REQUIRE(symlink("plan.sql", (dir + "/latest.sql").c_str()) == 0);
  CommandResult run =
      run_cli(std::string("compile ") + kSource + " -d sqlite -o " + dir + "/latest.sql");
  CHECK(run.exit_code == 0);
  struct stat info {};
  REQUIRE(lstat((dir + "/latest.sql").c_str(), &info) == 0);
  CHECK(S_ISLNK(info.st_mode));
  CHECK(read_file(dir + "/plan.sql").rfind("-- migpkg ", 0) == 0);
  CHECK(list_dir(dir) == std::vector<std::string>{"latest.sql", "plan.sql"});
}
