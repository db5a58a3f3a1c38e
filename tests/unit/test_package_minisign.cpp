// Interoperability with Debian's minisign: it verifies what migpkg signs, signs with keys
// migpkg makes (with and without a password), and migpkg packs with a key minisign made.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>

#include "runtime/package/minisign.hpp"
#include "unit/package_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

void require_minisign() {
  // scripts/install-deps.sh installs it; a missing tool must fail, not skip, the test.
  REQUIRE(shell("command -v minisign >/dev/null") == 0);
}

}  // namespace

TEST_CASE("minisign -V verifies the manifest signature of a package", "[package][minisign]") {
  require_minisign();
  std::string tmp = make_temp_dir();
  make_key(tmp, "alice");
  std::string bytes = pack("packages/examples/search", tmp + "/search.migpkg", tmp + "/alice.key");
  auto entries = read_raw_entries(bytes);
  write_file(tmp + "/manifest.json", entries.at(0).content);
  write_file(tmp + "/manifest.json.minisig", entries.at(1).content);

  std::string out = tmp + "/minisign.out";
  CHECK(shell("minisign -V -p " + tmp + "/alice.pub -m " + tmp + "/manifest.json > " + out +
              " 2>&1") == 0);
  std::string said = read_file(out);
  CHECK(said.find("Signature and comment signature verified") != std::string::npos);
  CHECK(said.find("Trusted comment: migpkg plugin:acme.search version:1.1.0") != std::string::npos);

  write_file(tmp + "/manifest.json", entries.at(0).content + " ");
  CHECK(shell("minisign -V -q -p " + tmp + "/alice.pub -m " + tmp + "/manifest.json 2>/dev/null") !=
        0);
}

TEST_CASE("minisign signs with migpkg's keys, and migpkg packs with minisign's",
          "[package][minisign]") {
  require_minisign();
  std::string tmp = make_temp_dir();
  write_file(tmp + "/message.txt", "release 1.0\n");

  // Unencrypted migpkg key.
  make_key(tmp, "plain");
  CHECK(shell("minisign -S -s " + tmp + "/plain.key -m " + tmp + "/message.txt -x " + tmp +
              "/plain.sig </dev/null >/dev/null 2>&1") == 0);
  auto key = migpkg::package::parse_public_key(read_file(tmp + "/plain.pub"), "plain.pub");
  auto signature = migpkg::package::parse_signature(read_file(tmp + "/plain.sig"), "plain.sig");
  CHECK_NOTHROW(migpkg::package::verify_signature(key, signature, "release 1.0\n"));

  // Password-protected migpkg key: minisign reads the password from stdin.
  write_file(tmp + "/password", "correct horse\n");
  auto made = run_cli("keygen -o " + tmp + "/locked --password-file " + tmp + "/password");
  REQUIRE(made.exit_code == 0);
  CHECK(made.out.find("password-protected") != std::string::npos);
  CHECK(shell("minisign -S -s " + tmp + "/locked.key -m " + tmp + "/message.txt -x " + tmp +
              "/locked.sig < " + tmp + "/password >/dev/null 2>&1") == 0);
  CHECK(shell("minisign -V -q -p " + tmp + "/locked.pub -m " + tmp + "/message.txt -x " + tmp +
              "/locked.sig") == 0);
  // ... and migpkg packs with it, given the same password.
  auto packed = run_cli("pack packages/examples/search -o " + tmp + "/locked.migpkg --key " + tmp +
                        "/locked.key --password-file " + tmp + "/password");
  INFO(packed.err);
  CHECK(packed.exit_code == 0);
  write_file(tmp + "/wrong", "incorrect horse\n");
  auto wrong = run_cli("pack packages/examples/search -o " + tmp + "/x.migpkg --key " + tmp +
                       "/locked.key --password-file " + tmp + "/wrong");
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.err.find("wrong password") != std::string::npos);
  auto no_terminal =
      run_cli("pack packages/examples/search -o " + tmp + "/x.migpkg --key " + tmp + "/locked.key");
  CHECK(no_terminal.exit_code == 2);
  CHECK(no_terminal.err.find("--password-file") != std::string::npos);

  // A key pair minisign generated (unencrypted, -W).
  REQUIRE(shell("minisign -G -W -p " + tmp + "/ms.pub -s " + tmp +
                "/ms.key </dev/null >/dev/null "
                "2>&1") == 0);
  auto by_minisign_key =
      run_cli("pack packages/examples/search -o " + tmp + "/ms.migpkg --key " + tmp + "/ms.key");
  INFO(by_minisign_key.err);
  CHECK(by_minisign_key.exit_code == 0);
  CHECK(run_cli("verify " + tmp + "/ms.migpkg --trust " + tmp + "/ms.pub").exit_code == 0);
}

TEST_CASE("keygen: files, modes, refusals", "[package]") {
  std::string tmp = make_temp_dir();
  auto no_tty = run_cli("keygen -o " + tmp + "/k");
  CHECK(no_tty.exit_code == 2);
  CHECK(no_tty.err.find("--no-password") != std::string::npos);
  CHECK(file_state(tmp + "/k.key") == "missing");

  auto made = run_cli("keygen -o " + tmp + "/k --no-password --json");
  REQUIRE(made.exit_code == 0);
  CHECK(made.out.find("\"encrypted\": false") != std::string::npos);
  struct stat info {};
  REQUIRE(stat((tmp + "/k.key").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(shell("minisign -V -p " + tmp + "/k.pub -m /dev/null -x /dev/null >/dev/null 2>&1") != 0);

  auto again = run_cli("keygen -o " + tmp + "/k --no-password");
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("already exists") != std::string::npos);
  auto both = run_cli("keygen -o " + tmp + "/k2 --no-password --password-file /dev/null");
  CHECK(both.exit_code == 2);
}

TEST_CASE("keygen and pack ask for the password on a terminal", "[package]") {
  // script(1) (util-linux, always on Debian) runs the command on a pseudo-terminal and feeds it
  // our input, as a person typing would.
  REQUIRE(shell("command -v script >/dev/null") == 0);
  std::string tmp = make_temp_dir();
  auto on_terminal = [&](const std::string& input, const std::string& arguments) {
    return shell("printf '" + input + "' | script -qec \"'" + binary() + "' " + arguments +
                 "\" /dev/null >" + tmp + "/terminal.out 2>&1");
  };
  CHECK(on_terminal("secret\\nsecret\\n", "keygen -o " + tmp + "/tty") == 0);
  std::string key = read_file(tmp + "/tty.key");
  CHECK(key.rfind("untrusted comment: minisign encrypted secret key\n", 0) == 0);
  CHECK(read_file(tmp + "/terminal.out").find("Password (again)") != std::string::npos);

  CHECK(on_terminal("secret\\n", "pack " + source_dir() + "/packages/examples/search -o " + tmp +
                                     "/tty.migpkg --key " + tmp + "/tty.key") == 0);
  CHECK(run_cli("verify " + tmp + "/tty.migpkg --trust " + tmp + "/tty.pub").exit_code == 0);
  CHECK(on_terminal("wrong\\n", "pack " + source_dir() + "/packages/examples/search -o " + tmp +
                                    "/bad.migpkg --key " + tmp + "/tty.key") == 1);
  CHECK(read_file(tmp + "/terminal.out").find("wrong password") != std::string::npos);

  CHECK(on_terminal("one\\ntwo\\n", "keygen -o " + tmp + "/mismatch") == 1);
  CHECK(read_file(tmp + "/terminal.out").find("the passwords do not match") != std::string::npos);
  CHECK(file_state(tmp + "/mismatch.key") == "missing");
}
