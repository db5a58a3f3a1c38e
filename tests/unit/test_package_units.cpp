// The package library on its own: entry names, key files, signatures, archive limits.
#include <catch2/catch.hpp>

#include "runtime/package/archive_reader.hpp"
#include "runtime/package/archive_writer.hpp"
#include "runtime/package/entry_name.hpp"
#include "runtime/package/minisign.hpp"
#include "runtime/package/package_error.hpp"
#include "runtime/package/package_verifier.hpp"
#include "runtime/package/trust_store.hpp"
#include "unit/package_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::package;
using migpkg::test::RawEntry;

TEST_CASE("entry names: relative, no traversal, a small alphabet", "[package]") {
  CHECK(entry_name_problem("manifest.json").empty());
  CHECK(entry_name_problem("data/seed/users-2024_v1.csv").empty());
  CHECK(entry_name_problem("ir/0001-acme.crm@1.0.0+x=y,z.json").empty());
  CHECK(entry_name_problem("") == "empty name");
  CHECK(entry_name_problem("/etc/passwd") == "absolute path");
  CHECK(entry_name_problem("../x") == "'..' component (path traversal)");
  CHECK(entry_name_problem("data/../../x") == "'..' component (path traversal)");
  CHECK(entry_name_problem("data/./x") == "'.' component");
  CHECK(entry_name_problem("data//x") == "empty path component");
  CHECK(entry_name_problem("data/") == "empty path component");
  CHECK(entry_name_problem("data\\x") == "backslash in name");
  CHECK(!entry_name_problem("data/\xc3\xa9.csv").empty());
  CHECK(!entry_name_problem("data/a b").empty());
  CHECK(!entry_name_problem("data/a\nb").empty());
  CHECK(!entry_name_problem(std::string(256, 'a')).empty());
  CHECK(printable_name("a\nb\x1b[31m") == "'a\\x0ab\\x1b[31m'");
}

TEST_CASE("secret keys round-trip, encrypted or not, and a wrong password is caught", "[package]") {
  KeyPair pair = generate_key_pair();
  KdfCost cheap{1u << 15, 1u << 20};
  std::string encrypted = format_secret_key(pair.secret, std::string("hunter2"), cheap);
  CHECK(secret_key_is_encrypted(encrypted, "k"));
  SecretKey back = parse_secret_key(encrypted, "k", [] { return std::string("hunter2"); });
  CHECK(back.id == pair.secret.id);
  CHECK(back.public_key().key == pair.public_key.key);
  CHECK_THROWS_WITH(parse_secret_key(encrypted, "k", [] { return std::string("hunter3"); }),
                    Catch::Contains("wrong password"));

  std::string plain = format_secret_key(pair.secret, std::nullopt);
  CHECK(!secret_key_is_encrypted(plain, "k"));
  bool asked = false;
  SecretKey plain_back = parse_secret_key(plain, "k", [&] {
    asked = true;
    return std::string();
  });
  CHECK(!asked);
  CHECK(plain_back.public_key().key == pair.public_key.key);

  std::string damaged = plain;  // a base64 digit inside the secret key itself (raw byte ~75)
  std::size_t at = plain.find('\n') + 1 + 100;
  damaged[at] = damaged[at] == 'A' ? 'B' : 'A';
  CHECK_THROWS_AS(parse_secret_key(damaged, "k", [] { return std::string(); }), KeyError);
  CHECK_THROWS_WITH(
      parse_secret_key("untrusted comment: x\nAAAA\n", "k.key", [] { return std::string(); }),
      Catch::Contains("k.key: not a minisign secret key"));
}

TEST_CASE("signatures verify, and any change to message or trusted comment fails", "[package]") {
  KeyPair pair = generate_key_pair();
  std::string text = sign_message(pair.secret, "hello\n", "migpkg plugin:a.b version:1.0.0");
  Signature sig = parse_signature(text, "sig");
  CHECK(sig.prehashed);
  CHECK(sig.key_id == pair.public_key.id);
  CHECK_NOTHROW(verify_signature(pair.public_key, sig, "hello\n"));
  CHECK_THROWS_WITH(verify_signature(pair.public_key, sig, "hello!\n"),
                    Catch::Contains("signature verification failed"));
  Signature relabelled = sig;
  relabelled.trusted_comment = "migpkg plugin:a.b version:9.0.0";
  CHECK_THROWS_WITH(verify_signature(pair.public_key, relabelled, "hello\n"),
                    Catch::Contains("trusted comment"));
  KeyPair other = generate_key_pair();
  CHECK_THROWS_WITH(verify_signature(other.public_key, sig, "hello\n"),
                    Catch::Contains("does not match public key"));

  PublicKey parsed = parse_public_key(format_public_key(pair.public_key), "pub");
  CHECK(parsed.key == pair.public_key.key);
  CHECK(key_id_hex(parsed.id).size() == 16);
  CHECK_THROWS_AS(parse_public_key("untrusted comment: x\nRWQ=\n", "pub"), KeyError);
}

TEST_CASE("key ids print as minisign prints them", "[package]") {
  KeyId id{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
  CHECK(key_id_hex(id) == "EFCDAB8967452301");
}

TEST_CASE("archives are written deterministically", "[package]") {
  std::vector<ArchiveMember> members = {{"manifest.json", "{}\n"}, {"data/x.csv", "a,b\n1,2\n"}};
  CHECK(write_archive(members, 0) == write_archive(members, 0));
  CHECK(write_archive(members, 0) != write_archive(members, 1700000000));
  CHECK_THROWS_AS(write_archive({{"../x", ""}}, 0), PackageError);
}

namespace {

std::string refusal(const std::string& bytes, const ReadLimits& limits) {
  try {
    auto reader = ArchiveReader::open_memory(bytes, "test", limits);
    while (reader->next()) reader->read([](const char*, std::size_t) {}, limits.max_entry_bytes);
  } catch (const PackageError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the archive reader enforces its limits", "[package]") {
  std::vector<RawEntry> many;
  for (int i = 0; i < 100000; ++i) many.push_back({"f" + std::to_string(i), "x"});
  ReadLimits no_ratio;  // tar headers compress well: keep the ratio check out of the way
  no_ratio.max_ratio = 1u << 30;
  CHECK(refusal(migpkg::test::write_raw_archive(many), no_ratio) ==
        "test: more than 10000 entries; refusing the archive");

  ReadLimits small;
  small.max_entry_bytes = 1000;
  CHECK(refusal(migpkg::test::write_raw_archive({{"big", std::string(1001, 'x')}}), small) ==
        "test: entry 'big' is 1001 bytes, above the limit of 1000 bytes");

  ReadLimits total;
  total.max_total_bytes = 1500;
  CHECK(refusal(migpkg::test::write_raw_archive(
                    {{"a", std::string(1000, 'x')}, {"b", std::string(1000, 'y')}}),
                total)
            .find("more than 1500 bytes uncompressed in all") != std::string::npos);

  CHECK(refusal(migpkg::test::write_raw_archive({{"z", std::string(64u << 20, '\0')}}), {})
            .find("compression ratio above 200:1") != std::string::npos);
  // Random bytes do not compress: a large package of them is fine.
  std::string noise(8u << 20, '\0');
  std::uint32_t state = 12345;
  for (auto& c : noise) {
    state = state * 1103515245u + 12345u;
    c = static_cast<char>(state >> 24);
  }
  CHECK(refusal(migpkg::test::write_raw_archive({{"noise", noise}}), {}).empty());
}

TEST_CASE("every truncation and random byte flips of a package are refused, never accepted",
          "[package][hostile]") {
  std::string tmp = migpkg::test::make_temp_dir();
  migpkg::test::make_key(tmp, "alice");
  std::string good =
      migpkg::test::pack("packages/examples/search", tmp + "/search.migpkg", tmp + "/alice.key");
  TrustStore trust = TrustStore::load(tmp + "/alice.pub");
  auto outcome = [&](const std::string& bytes) -> std::string {
    try {
      auto reader = ArchiveReader::open_memory(bytes, "pkg", {});
      verify_package(*reader, &trust, {});
      return "accepted";
    } catch (const PackageError&) {
      return "refused";
    } catch (const std::exception& e) {
      return std::string("other exception: ") + e.what();
    }
  };
  REQUIRE(outcome(good) == "accepted");
  for (std::size_t length = 0; length < good.size(); length += 7) {
    INFO("truncated to " << length << " of " << good.size() << " bytes");
    CHECK(outcome(good.substr(0, length)) == "refused");
  }
  std::uint32_t state = 2024;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return state;
  };
  for (int i = 0; i < 2000; ++i) {
    std::string bad = good;
    std::size_t at = next() % bad.size();
    unsigned char bit = static_cast<unsigned char>(1u << (next() % 8));
    bad[at] = static_cast<char>(static_cast<unsigned char>(bad[at]) ^ bit);
    INFO("bit " << int(bit) << " flipped at byte " << at);
    std::string result = outcome(bad);
    if (result == "accepted") {
      // Only possible where the bit changes nothing that is signed: a zstd header field such
      // as the window size, or the signature's untrusted comment line (unsigned by design, as
      // in minisign). Everything else must be exactly the original.
      auto signed_part = [](const RawEntry& entry) {
        return entry.name == "manifest.json.minisig"
                   ? entry.content.substr(entry.content.find('\n'))
                   : entry.content;
      };
      auto original = migpkg::test::read_raw_entries(good);
      auto changed = migpkg::test::read_raw_entries(bad);
      REQUIRE(original.size() == changed.size());
      for (std::size_t e = 0; e < original.size(); ++e) {
        CHECK(original[e].name == changed[e].name);
        CHECK(signed_part(original[e]) == signed_part(changed[e]));
      }
    } else {
      CHECK(result == "refused");
    }
  }
}
