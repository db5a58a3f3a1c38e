// The suite's main: Catch2's, after pointing libmigpkg at the PostgreSQL module of this build
// (runtime/engines/engine_module.hpp), which the test binary, in build/tests/, would not
// find beside itself. An explicit MIGPKG_POSTGRESQL_MODULE from the caller wins.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>

int main(int argc, char* argv[]) {
  setenv("MIGPKG_POSTGRESQL_MODULE", MIGPKG_POSTGRESQL_MODULE_PATH, 0);
  return Catch::Session().run(argc, argv);
}
