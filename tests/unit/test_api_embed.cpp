// The library as an embedder gets it (docs/api.md, "Installing"): `cmake --install` of the
// Development component into a fresh prefix, then examples/embed built out of the tree against
// that prefix only, once with find_package(migpkg) and once with `pkg-config --cflags --libs
// migpkg`; each build installs a plugin with rows into its own SQLite database.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include "include/migpkg/migpkg.hpp"
#include "unit/data_move_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg;
using namespace migpkg::test;

namespace {

std::string build_dir() {
  return binary().substr(0, binary().rfind('/'));
}

// A value of the build's CMakeCache.txt ("" when it has none).
std::string cache_value(const std::string& name) {
  std::istringstream in(read_file(build_dir() + "/CMakeCache.txt"));
  const std::regex entry("^" + name + ":[A-Z]+=(.*)$");
  std::smatch m;
  for (std::string line; std::getline(in, line);)
    if (std::regex_match(line, m, entry)) return m[1];
  return "";
}

// Runs a shell command with its output kept in `log`, which the failure message shows.
int logged(const std::string& command, const std::string& log) {
  int rc = shell(command + " >" + shell_quoted(log) + " 2>&1");
  if (rc != 0) UNSCOPED_INFO(command << "\n" << read_file(log));
  return rc;
}

std::size_t ndjson_records(const std::string& path) {
  std::istringstream in(read_file(path));
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += !line.empty();
  return n;
}

// The example host installed the currencies plugin with its rows into `db`, as itself.
void check_installed(const std::string& db, const std::string& output) {
  const std::string plugin = source_dir() + "/packages/examples/currencies-dsl";
  INFO(output);
  CHECK(output.find("applied ") != std::string::npos);
  CHECK(output.find("installed acme.currencies ") != std::string::npos);
  const std::string url = "sqlite:" + db;
  CHECK(table_rows(url, "cur_currencies").size() ==
        ndjson_records(plugin + "/data/currencies.ndjson"));
  api::StatusResult state = api::status(url);
  REQUIRE(state.ok());
  REQUIRE(state.plugins.size() == 1);
  CHECK(state.plugins[0].plugin_id == "acme.currencies");
  for (const auto& m : state.plugins[0].migrations) CHECK(m.applied_by == "embed-example");
}

}  // namespace

TEST_CASE("the example host builds against an installed migpkg and installs a plugin with rows",
          "[api][embed][sqlite]") {
  const std::string cmake = cache_value("CMAKE_COMMAND");
  const std::string cxx = cache_value("CMAKE_CXX_COMPILER");
  const std::string libdir = cache_value("CMAKE_INSTALL_LIBDIR");
  REQUIRE_FALSE(cmake.empty());
  REQUIRE_FALSE(cxx.empty());
  REQUIRE_FALSE(libdir.empty());
  const std::string work = make_temp_dir();
  const std::string prefix = work + "/prefix";

  REQUIRE(logged(shell_quoted(cmake) + " --install " + shell_quoted(build_dir()) + " --prefix " +
                     shell_quoted(prefix) + " --component Development",
                 work + "/install.log") == 0);
  for (const std::string& file :
       {libdir + "/libmigpkg.a", std::string("include/migpkg/migpkg.hpp"),
        std::string("include/migpkg/diagnostics.hpp"), std::string("include/migpkg/results.hpp"),
        std::string("include/migpkg/operations.hpp"), libdir + "/cmake/migpkg/migpkgConfig.cmake",
        libdir + "/cmake/migpkg/migpkgConfigVersion.cmake", libdir + "/pkgconfig/migpkg.pc"}) {
    INFO(file);
    CHECK(path_exists(prefix + "/" + file));
  }
  // Only what an embedder needs: not the executables or the engine modules.
  CHECK_FALSE(path_exists(prefix + "/bin/migpkg"));

  // The example, copied out of the source tree so nothing but the prefix can be found.
  const std::string example = work + "/embed";
  REQUIRE(shell("cp -R " + shell_quoted(source_dir() + "/examples/embed") + " " +
                shell_quoted(example)) == 0);
  const std::string plugin = shell_quoted(source_dir() + "/packages/examples/currencies-dsl");

  {
    INFO("built with find_package(migpkg)");
    const std::string build = work + "/build-cmake";
    REQUIRE(logged(shell_quoted(cmake) + " -S " + shell_quoted(example) + " -B " +
                       shell_quoted(build) + " -G Ninja -DCMAKE_BUILD_TYPE=Release" +
                       " -DCMAKE_CXX_COMPILER=" + shell_quoted(cxx) +
                       " -DCMAKE_PREFIX_PATH=" + shell_quoted(prefix),
                   work + "/configure.log") == 0);
    REQUIRE(logged(shell_quoted(cmake) + " --build " + shell_quoted(build), work + "/build.log") ==
            0);
    const std::string db = work + "/cmake-host.db";
    REQUIRE(logged(shell_quoted(build + "/embed") + " " + plugin + " " + shell_quoted(db),
                   work + "/run.log") == 0);
    check_installed(db, read_file(work + "/run.log"));
  }

  {
    INFO("built with pkg-config --cflags --libs migpkg");
    const std::string env = "PKG_CONFIG_PATH=" + shell_quoted(prefix + "/" + libdir + "/pkgconfig");
    const std::string flags = capture(env + " pkg-config --cflags --libs migpkg");
    REQUIRE(flags != "<failed>");
    CHECK(flags.find("-I" + prefix + "/include") != std::string::npos);
    const std::string host = work + "/pc-embed";
    REQUIRE(logged(shell_quoted(cxx) + " -std=c++17 -O1 " + shell_quoted(example + "/main.cpp") +
                       " -o " + shell_quoted(host) + " $(" + env +
                       " pkg-config --cflags --libs migpkg)",
                   work + "/pc-build.log") == 0);
    const std::string db = work + "/pc-host.db";
    REQUIRE(logged(shell_quoted(host) + " " + plugin + " " + shell_quoted(db), work + "/pc.log") ==
            0);
    check_installed(db, read_file(work + "/pc.log"));
  }
}
