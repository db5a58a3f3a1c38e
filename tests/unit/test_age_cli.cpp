// migpkg's age files against Debian's age (1.1.1), both ways, for recipients and passphrases;
// keygen --age, identity and recipients files; and encrypt / decrypt refusing damaged files
// without leaving an output. The format itself is tested in test_age_format.cpp.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>

#include "test_support.hpp"
#include "unit/age_test_support.hpp"

using namespace migpkg::test;

namespace {

std::string random_file(const std::string& path, std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  write_file(path, bytes);
  return bytes;
}

// `keygen --age -o PATH`; returns the recipient it printed.
std::string keygen_age(const std::string& path) {
  CommandResult r = run_cli("keygen --age -o " + shell_quoted(path));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  const std::size_t at = r.out.find("public key: ");
  REQUIRE(at != std::string::npos);
  return r.out.substr(at + 12, 62);
}

}  // namespace

TEST_CASE("age interop: migpkg and Debian's age open each other's files, recipients",
          "[crypto][age][interop]") {
  REQUIRE(shell("age --version > /dev/null 2>&1") == 0);
  const std::string dir = make_temp_dir();
  const std::string ours = dir + "/ours.txt", theirs = dir + "/theirs.txt";
  const std::string our_recipient = keygen_age(ours);
  REQUIRE(shell("age-keygen -o " + shell_quoted(theirs) + " 2> /dev/null") == 0);
  const std::string their_recipient = capture("age-keygen -y " + shell_quoted(theirs));
  for (const std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{65536},
                                 std::size_t{65537}, std::size_t{200000}}) {
    INFO("size " << size);
    const std::string plain = dir + "/plain-" + std::to_string(size);
    const std::string bytes = random_file(plain, size, static_cast<unsigned>(size));
    // migpkg encrypts to both keys; age decrypts with either.
    const std::string m = plain + ".m.age";
    CommandResult r = run_cli("encrypt -r " + our_recipient + " -r " + their_recipient + " -o " +
                              shell_quoted(m) + " " + shell_quoted(plain));
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    for (const std::string& identity : {ours, theirs}) {
      const std::string out = plain + ".age-out";
      REQUIRE(shell("age -d -i " + shell_quoted(identity) + " -o " + shell_quoted(out) + " " +
                    shell_quoted(m)) == 0);
      // age opens its output at the first byte it writes: no file for an empty plaintext.
      CHECK((size == 0 ? (path_exists(out) ? read_file(out) : "") : read_file(out)) == bytes);
      std::remove(out.c_str());
    }
    // age encrypts; migpkg decrypts with either identity file.
    const std::string a = plain + ".a.age";
    REQUIRE(shell("age -e -r " + our_recipient + " -r " + their_recipient + " -o " +
                  shell_quoted(a) + " " + shell_quoted(plain)) == 0);
    for (const std::string& identity : {ours, theirs}) {
      const std::string out = plain + ".m-out";
      r = run_cli("decrypt -i " + shell_quoted(identity) + " -o " + shell_quoted(out) + " " +
                  shell_quoted(a));
      INFO(r.err);
      CHECK(r.exit_code == 0);
      CHECK(read_file(out) == bytes);
      std::remove(out.c_str());
    }
  }
}

TEST_CASE("age interop: passphrases both ways (age through a terminal)", "[crypto][age][interop]") {
  const std::string dir = make_temp_dir();
  const std::string plain = dir + "/plain", pw = dir + "/pw";
  const std::string bytes = random_file(plain, 150000, 11);
  write_file(pw, "an interop passphrase\n");
  // age -p encrypts (asking twice on the terminal); migpkg decrypts.
  const std::string a = dir + "/a.age";
  PtyResult age_run = run_with_passphrase({"age", "-p", "-o", a, plain}, "an interop passphrase");
  INFO(age_run.output);
  REQUIRE(age_run.exit_code == 0);
  CHECK(age_run.prompts == 2);
  CommandResult r = run_cli("decrypt --passphrase-file " + shell_quoted(pw) + " -o " +
                            shell_quoted(dir + "/a.out") + " " + shell_quoted(a));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(read_file(dir + "/a.out") == bytes);
  write_file(dir + "/wrong", "another passphrase\n");
  r = run_cli("decrypt --passphrase-file " + shell_quoted(dir + "/wrong") + " -o " +
              shell_quoted(dir + "/w.out") + " " + shell_quoted(a));
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Catch::Contains("wrong passphrase"));
  CHECK_FALSE(path_exists(dir + "/w.out"));
  // migpkg encrypts (work factor 18, like age); age -d asks once and decrypts.
  const std::string m = dir + "/m.age";
  r = run_cli("encrypt --passphrase-file " + shell_quoted(pw) + " -o " + shell_quoted(m) + " " +
              shell_quoted(plain));
  REQUIRE(r.exit_code == 0);
  CHECK(read_file(m).find("\n-> scrypt ") != std::string::npos);
  age_run = run_with_passphrase({"age", "-d", "-o", dir + "/m.out", m}, "an interop passphrase");
  INFO(age_run.output);
  CHECK(age_run.exit_code == 0);
  CHECK(age_run.prompts == 1);
  CHECK(read_file(dir + "/m.out") == bytes);
}

TEST_CASE("keygen --age: a 0600 identity file, created exclusively, in age-keygen's format",
          "[crypto][age][cli]") {
  const std::string dir = make_temp_dir();
  const std::string id = dir + "/id.txt";
  const std::string recipient = keygen_age(id);
  struct stat st {};
  REQUIRE(stat(id.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  const std::string text = read_file(id);
  CHECK(text.rfind("# created: ", 0) == 0);
  CHECK(text.find("# public key: " + recipient + "\n") != std::string::npos);
  CHECK(capture("age-keygen -y " + shell_quoted(id)) == recipient);
  CommandResult r = run_cli("keygen --age -o " + shell_quoted(id));
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("already exists; pass --force"));
  CHECK(read_file(id) == text);
  r = run_cli("keygen --age --force --json -o " + shell_quoted(id));
  CHECK(r.exit_code == 0);
  CHECK(read_file(id) != text);
  CHECK(nlohmann::json::parse(r.out)["recipient"].get<std::string>().rfind("age1", 0) == 0);
  r = run_cli("keygen --age -o " + shell_quoted(dir + "/x") + " --password-file /dev/null");
  CHECK(r.exit_code == 2);
  // Several identities, comments and blank lines in one file; a recipients file likewise.
  write_file(dir + "/two.txt", "# first\n" + capture("age-keygen 2>/dev/null | grep -v '^#'") +
                                   "\n\n" + read_file(id));
  write_file(dir + "/recipients.txt",
             "# ops\n\n" + capture("age-keygen -y " + shell_quoted(id)) + "\n# end\n");
  write_file(dir + "/plain", "hello");
  r = run_cli("encrypt -R " + shell_quoted(dir + "/recipients.txt") + " -o " +
              shell_quoted(dir + "/p.age") + " " + shell_quoted(dir + "/plain"));
  REQUIRE(r.exit_code == 0);
  r = run_cli("decrypt -i " + shell_quoted(dir + "/two.txt") + " -o " +
              shell_quoted(dir + "/p.out") + " " + shell_quoted(dir + "/p.age"));
  CHECK(r.exit_code == 0);
  CHECK(read_file(dir + "/p.out") == "hello");
  write_file(dir + "/bad-recipients.txt", "# ops\nage1notarecipient\n");
  r = run_cli("encrypt -R " + shell_quoted(dir + "/bad-recipients.txt") + " -o " +
              shell_quoted(dir + "/q.age") + " " + shell_quoted(dir + "/plain"));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("bad-recipients.txt:2: not an age recipient"));
  CHECK_FALSE(path_exists(dir + "/q.age"));
}

TEST_CASE("decrypt refuses damaged files with exit 3 and leaves no output, nor changes one",
          "[crypto][age][cli][hostile]") {
  const std::string dir = make_temp_dir();
  const std::string id = dir + "/id.txt", other = dir + "/other.txt";
  const std::string recipient = keygen_age(id);
  keygen_age(other);
  const std::string plain = dir + "/plain";
  random_file(plain, 3 * 65536 + 100, 5);
  const std::string good = dir + "/good.age";
  REQUIRE(
      run_cli("encrypt -r " + recipient + " -o " + shell_quoted(good) + " " + shell_quoted(plain))
          .exit_code == 0);
  const std::string file = read_file(good);
  const std::size_t header = age_header_end(file), payload = header + 16;
  struct Case {
    std::string name, bytes, message;
    std::string identity;
  };
  const std::vector<Case> cases = {
      {"wrong identity", file, "no identity matches: the file's stanzas are X25519", other},
      {"header byte", flip_byte(file, file.find("X25519 ") + 12), "", id},
      {"MAC byte", flip_byte(file, header - 10), "", id},
      {"first chunk", flip_byte(file, payload + 5), "chunk 0 of the age payload", id},
      {"last chunk", flip_byte(file, file.size() - 3), "chunk 3 (the last)", id},
      {"truncated in the header", file.substr(0, header / 2), "ends inside the header", id},
      {"truncated in the nonce", file.substr(0, header + 8), "nonce", id},
      {"truncated at a chunk end", file.substr(0, payload + 65536 + 16), "truncated", id},
      {"truncated in a chunk", file.substr(0, payload + 100000), "chunk 1 (the last)", id},
      {"truncated by one byte", file.substr(0, file.size() - 1), "chunk 3 (the last)", id},
      {"a trailing byte", file + "\n", "chunk 3 (the last)", id},
      {"unknown stanza only", with_stanzas(file, "-> foo bar\nAAAA\n"),
       "no identity matches: the file's stanzas are unknown-type \"foo\"", id},
      {"scrypt with another stanza",
       with_stanzas(file, file.substr(file.find('\n') + 1, file.find("\n--- ") - file.find('\n')) +
                              "-> scrypt c2FsdHNhbHRzYWx0c2FsdA 18\nAAAA\n"),
       "an scrypt (passphrase) stanza must be the only stanza", id},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const std::string bad = dir + "/bad.age", out = dir + "/out";
    write_file(bad, c.bytes);
    CommandResult r = run_cli("decrypt -i " + shell_quoted(c.identity) + " -o " +
                              shell_quoted(out) + " " + shell_quoted(bad));
    INFO(r.err);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::Contains("refused: ") && Catch::Contains(c.message));
    CHECK_FALSE(path_exists(out));
    // With --force, an existing output stays as it was.
    write_file(out, "keep me");
    r = run_cli("decrypt --force -i " + shell_quoted(c.identity) + " -o " + shell_quoted(out) +
                " " + shell_quoted(bad));
    CHECK(r.exit_code == 3);
    CHECK(read_file(out) == "keep me");
    std::remove(out.c_str());
    CHECK(list_dir(dir).size() == 5);  // id, other, plain, good.age, bad.age: nothing left
  }
  // Over our work-factor limit: refused before scrypt runs.
  write_file(dir + "/pw", "pw\n");
  REQUIRE(run_cli("encrypt --passphrase-file " + shell_quoted(dir + "/pw") + " -o " +
                  shell_quoted(dir + "/p.age") + " " + shell_quoted(plain))
              .exit_code == 0);
  std::string heavy = read_file(dir + "/p.age");
  heavy.replace(heavy.find(" 18\n"), 4, " 30\n");
  write_file(dir + "/heavy.age", heavy);
  CommandResult r = run_cli("decrypt --passphrase-file " + shell_quoted(dir + "/pw") + " -o " +
                            shell_quoted(dir + "/h.out") + " " + shell_quoted(dir + "/heavy.age"));
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Catch::Contains("work factor 30 is over our limit of 20"));
  CHECK_FALSE(path_exists(dir + "/h.out"));
  // No keys: a usage error; an existing output without --force: refused before reading.
  r = run_cli("decrypt -o " + shell_quoted(dir + "/n.out") + " " + shell_quoted(good));
  CHECK(r.exit_code == 2);
  write_file(dir + "/exists", "old");
  r = run_cli("decrypt -i " + shell_quoted(id) + " -o " + shell_quoted(dir + "/exists") + " " +
              shell_quoted(good));
  CHECK(r.exit_code == 1);
  CHECK(read_file(dir + "/exists") == "old");
}
