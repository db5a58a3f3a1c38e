// The hostile-package suite: bad packages built here, byte by byte, each refused by the CLI with
// a clear message and exit 3 (exit 1 for an archive that cannot be read at all), with the
// database untouched (the SQLite file's bytes unchanged; a new database never created).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runtime/drivers/connection.hpp"
#include "runtime/engines/engine_registry.hpp"
#include "runtime/package/file_hash.hpp"
#include "runtime/package/manifest.hpp"
#include "unit/package_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using Kind = RawEntry::Kind;

namespace {

struct HostileCase {
  std::string name;
  std::string bytes;
  int exit_code;
  std::string message;  // a substring of stderr
};

struct Fixture {
  std::string tmp = make_temp_dir();
  std::string alice_key, alice_pub, mallory_key, mallory_pub;
  std::string good;  // acme.crm signed by alice
  std::vector<RawEntry> entries;
  std::string manifest_text;
  nlohmann::ordered_json manifest;
  std::string db;  // holds acme.search, installed from sources

  Fixture() {
    make_key(tmp, "alice");
    make_key(tmp, "mallory");
    alice_key = tmp + "/alice.key";
    alice_pub = tmp + "/alice.pub";
    mallory_key = tmp + "/mallory.key";
    mallory_pub = tmp + "/mallory.pub";
    good = pack("packages/examples/crm", tmp + "/good.migpkg", alice_key);
    entries = read_raw_entries(good);
    manifest_text = entries.at(0).content;
    manifest = nlohmann::ordered_json::parse(manifest_text);
    db = tmp + "/installed.db";
    REQUIRE(run_cli("install packages/examples/search --db sqlite:" + db).exit_code == 0);
  }

  // The package with `manifest` as its manifest, signed by alice for plugin/version (the
  // manifest's own unless given): a publisher's key signing a doctored manifest.
  std::vector<RawEntry> resigned(const nlohmann::ordered_json& doctored,
                                 const std::string& comment = "") const {
    auto copy = entries;
    copy[0].content = doctored.dump(2) + "\n";
    copy[1].content = sign_with(alice_key, copy[0].content,
                                comment.empty() ? migpkg::package::trusted_comment_for(
                                                      doctored["plugin"].get<std::string>(),
                                                      doctored["version"].get<std::string>())
                                                : comment);
    return copy;
  }

  // Adds a member with a correct manifest entry (size and hash) and re-signs.
  std::vector<RawEntry> with_listed(const std::string& name, const std::string& content) const {
    auto doctored = manifest;
    doctored["files"].push_back(
        {{"path", name}, {"size", content.size()}, {"hash", migpkg::package::hash_hex(content)}});
    auto copy = resigned(doctored);
    copy.push_back({name, content});
    return copy;
  }

  void expect_refused(const HostileCase& c) const {
    INFO("case: " << c.name);
    std::string path = tmp + "/hostile.migpkg";
    write_file(path, c.bytes);
    std::string before = file_state(db);
    auto installed = run_cli("install " + path + " --db sqlite:" + db + " --trust " + alice_pub);
    INFO("stderr: " << installed.err);
    CHECK(installed.exit_code == c.exit_code);
    CHECK(installed.err.find(c.message) != std::string::npos);
    CHECK(file_state(db) == before);

    std::string fresh = tmp + "/fresh.db";
    auto planned = run_cli("plan " + path + " --db sqlite:" + fresh + " --trust " + alice_pub);
    CHECK(planned.exit_code == c.exit_code);
    auto into_fresh =
        run_cli("install " + path + " --db sqlite:" + fresh + " --trust " + alice_pub);
    CHECK(into_fresh.exit_code == c.exit_code);
    CHECK(file_state(fresh) == "missing");

    auto verified = run_cli("verify " + path + " --trust " + alice_pub);
    CHECK(verified.exit_code == c.exit_code);
    CHECK(verified.err.find(c.message) != std::string::npos);
    CHECK(verified.out.empty());
  }
};

}  // namespace

TEST_CASE("a flipped byte in any member is refused", "[package][hostile]") {
  Fixture f;
  for (std::size_t i = 0; i < f.entries.size(); ++i) {
    auto copy = f.entries;
    auto& content = copy[i].content;
    REQUIRE(!content.empty());
    content[content.size() / 2] = static_cast<char>(content[content.size() / 2] ^ 0x01);
    std::string message = i == 0   ? "signature verification failed"
                          : i == 1 ? "refused"
                                   : copy[i].name + " does not match the manifest";
    f.expect_refused({"flipped byte in " + copy[i].name, write_raw_archive(copy), 3, message});
  }
}

TEST_CASE("hostile archives are refused before anything is trusted", "[package][hostile]") {
  Fixture f;
  std::vector<HostileCase> cases;
  auto add = [&](const std::string& name, const std::vector<RawEntry>& entries, int code,
                 const std::string& message) {
    cases.push_back({name, write_raw_archive(entries), code, message});
  };

  cases.push_back({"truncated archive", f.good.substr(0, f.good.size() / 2), 1,
                   "not a readable package archive"});
  cases.push_back({"not an archive at all", "just some text\n", 1, "not a readable package"});
  cases.push_back(
      {"uncompressed tar", write_raw_archive(f.entries, false), 1, "zstd-compressed tar"});

  {  // the signature of another package by the same publisher
    std::string other = pack("packages/examples/search", f.tmp + "/search.migpkg", f.alice_key);
    auto copy = f.entries;
    copy[1].content = read_raw_entries(other).at(1).content;
    add("swapped signature", copy, 3, "signature verification failed");
  }
  {
    std::string by_mallory =
        pack("packages/examples/crm", f.tmp + "/mallory.migpkg", f.mallory_key);
    std::string text = read_file(f.mallory_pub);
    std::string mallory_id = text.substr(text.find('\n') - 16, 16);
    cases.push_back({"another publisher's key", by_mallory, 3,
                     "signed by key " + mallory_id + ", which is not trusted"});
  }
  {
    auto doctored = f.manifest;
    doctored["files"][3]["hash"] = migpkg::package::hash_hex("something else");
    add("wrong hash in the (re-signed) manifest", f.resigned(doctored), 3,
        doctored["files"][3]["path"].get<std::string>() + " does not match the manifest");
  }
  {
    auto doctored = f.manifest;
    doctored["files"][2]["size"] = doctored["files"][2]["size"].get<int>() + 1;
    add("wrong size in the manifest", f.resigned(doctored), 3, "but the manifest says");
  }
  {
    auto copy = f.entries;
    copy.push_back({"data/extra.csv", "a,b\n"});
    add("unlisted extra file", copy, 3, "'data/extra.csv' is not listed in the manifest");
  }
  {
    auto copy = f.entries;
    copy.push_back({"../../etc/evil.sql", "DROP TABLE x;"});
    add("path traversal", copy, 3, "path traversal");
    add("path traversal, listed and signed", f.with_listed("data/../../evil.sql", "x"), 3,
        "path traversal");
  }
  {
    auto copy = f.entries;
    copy.push_back({"/etc/evil.sql", "DROP TABLE x;"});
    add("absolute path", copy, 3, "absolute path");
  }
  {
    auto copy = f.entries;
    copy.push_back({"data/link", "", Kind::Symlink, "/etc/passwd"});
    add("symlink entry", copy, 3, "'data/link' is a symbolic link");
  }
  {
    auto copy = f.entries;
    copy.push_back({"data/hard", "", Kind::Hardlink, "manifest.json"});
    add("hardlink entry", copy, 3, "'data/hard' is a hard link");
  }
  {
    auto copy = f.entries;
    copy.push_back({"data/null", "", Kind::CharDevice});
    add("device entry", copy, 3, "character device");
  }
  {
    auto copy = f.entries;
    copy.insert(copy.begin() + 2, {"data", "", Kind::Directory});
    add("directory entry", copy, 3, "is not a regular file (directory)");
  }
  {
    auto copy = f.entries;
    copy.push_back(copy[3]);
    add("duplicate entry", copy, 3, "duplicate entry '" + copy[3].name + "'");
  }
  {
    auto copy = f.entries;
    copy.erase(copy.begin() + 1);
    add("unsigned package", copy, 3, "package is not signed");
  }
  {
    auto copy = f.entries;
    std::swap(copy[0], copy[2]);
    add("manifest not first", copy, 3, "the first entry is");
  }
  {
    auto copy = f.entries;
    copy.pop_back();
    add("missing member", copy, 3, "is listed in the manifest but missing from the archive");
  }
  {
    auto doctored = f.manifest;
    doctored["version"] = "9.9.9";
    add("manifest relabelled under an older trusted comment",
        f.resigned(doctored, migpkg::package::trusted_comment_for("acme.crm", "2.0.0")), 3,
        "refusing a relabelled package");
    auto renamed = f.manifest;
    renamed["plugin"] = "acme.other";
    add("plugin renamed in the manifest",
        f.resigned(renamed, migpkg::package::trusted_comment_for("acme.crm", "2.0.0")), 3,
        "the manifest names acme.other 2.0.0 but the signed trusted comment says");
  }
  {
    auto doctored = f.manifest;
    doctored["postInstall"] = "rm -rf /";
    add("unknown manifest member", f.resigned(doctored), 3,
        "invalid manifest at /postInstall: unknown member");
  }
  {
    auto copy = f.entries;
    copy[1].content = "untrusted comment: x\nnot base64 at all\ntrusted comment: y\nzz\n";
    add("garbage signature", copy, 3, "malformed signature line");
  }
  // A decompression bomb: 64 MiB of zeros is a few kilobytes of zstd. Listed with the right
  // hash and signed, so only the ratio limit can stop it.
  add("extreme compression ratio", f.with_listed("data/zeros.bin", std::string(64u << 20, '\0')), 3,
      "compression ratio above 200:1");

  for (const auto& c : cases) f.expect_refused(c);
}

TEST_CASE("a 100,000-entry archive is refused", "[package][hostile]") {
  Fixture f;
  // Listed and signed, so that no other check stops it first.
  auto doctored = f.manifest;
  std::vector<RawEntry> extra;
  for (int i = 0; i < 100000; ++i) {
    std::string name = "data/f" + std::to_string(i);
    doctored["files"].push_back(
        {{"path", name}, {"size", 1}, {"hash", migpkg::package::hash_hex("x")}});
    extra.push_back({name, "x"});
  }
  auto copy = f.entries;
  copy[0].content = doctored.dump() + "\n";
  copy[1].content = sign_with(f.alice_key, copy[0].content,
                              migpkg::package::trusted_comment_for("acme.crm", "2.0.0"));
  copy.insert(copy.end(), extra.begin(), extra.end());
  f.expect_refused({"100,000 entries", write_raw_archive(copy), 3, "entry limit (10000)"});
}

TEST_CASE("a refused package leaves a PostgreSQL database untouched", "[package][postgresql]") {
  std::string server = postgres_url();
  if (server.empty()) return;
  Fixture f;
  auto copy = f.entries;
  copy[4].content += "-- appended";
  std::string path = f.tmp + "/tampered.migpkg";
  write_file(path, write_raw_archive(copy));
  migpkg::runtime::TemporaryDatabase database(server, "migpkg_hostile");
  auto result =
      run_cli("install " + path + " --db '" + database.url() + "' --trust " + f.alice_pub);
  CHECK(result.exit_code == 3);
  CHECK(result.err.find("but the manifest says") != std::string::npos);
  auto connection = migpkg::runtime::open_url(database.url());
  auto tables = connection->query(
      "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'");
  CHECK(tables.rows.at(0).at(0).value_or("") == "0");
}
