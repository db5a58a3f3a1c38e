// The age format on its own (runtime/crypto): HKDF-SHA256 against RFC 5869, bech32 against
// BIP-173, headers from age's testkit, and the STREAM payload round trip and refusals in memory.
// Interoperability with Debian's age and the commands are in test_age_cli.cpp.
#include <sodium.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>

#include "runtime/crypto/age_error.hpp"
#include "runtime/crypto/age_stream.hpp"
#include "runtime/crypto/bech32.hpp"
#include "runtime/crypto/hkdf_sha256.hpp"
#include "test_support.hpp"

using namespace migpkg::crypto;
using migpkg::test::list_dir;
using migpkg::test::read_file;
using migpkg::test::source_dir;

namespace {

std::vector<unsigned char> from_hex(const std::string& hex) {
  std::vector<unsigned char> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

std::string to_hex(const unsigned char* data, std::size_t size) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

std::string encrypt_bytes(const std::string& plain, const AgeEncryptTo& to,
                          std::size_t write_size = 7919) {
  std::string out;
  AgeEncryptor encryptor([&](const char* data, std::size_t size) { out.append(data, size); }, to);
  for (std::size_t at = 0; at < plain.size(); at += write_size)
    encryptor.write(plain.data() + at, std::min(write_size, plain.size() - at));
  encryptor.finish();
  return out;
}

// Feeds `file` in pieces of at most `piece` bytes, as a pipe would.
AgeSource source_of(const std::string& file, std::size_t piece = 1000) {
  auto at = std::make_shared<std::size_t>(0);
  return [&file, at, piece](char* data, std::size_t size) {
    const std::size_t take = std::min({size, piece, file.size() - *at});
    std::memcpy(data, file.data() + *at, take);
    *at += take;
    return take;
  };
}

std::string decrypt_bytes(const std::string& file, const AgeDecryptWith& with) {
  AgeDecryptor decryptor(source_of(file), with);
  std::string out;
  char buffer[5003];
  while (const std::size_t got = decryptor.read(buffer, sizeof buffer)) out.append(buffer, got);
  return out;
}

std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(random());
  return out;
}

AgeDecryptWith with_identity(const AgeIdentity& identity) {
  AgeDecryptWith with;
  with.identities.push_back(parse_age_identity(identity.text(), "test"));
  return with;
}

// The refusal of decrypting `file`, or "" when it decrypts.
std::string refusal(const std::string& file, const AgeDecryptWith& with,
                    AgeFailure* kind = nullptr) {
  try {
    decrypt_bytes(file, with);
  } catch (const AgeError& e) {
    if (kind != nullptr) *kind = e.kind();
    return e.what();
  }
  return "";
}

std::size_t header_size(const std::string& file) {
  return file.find("\n--- ") + 49;
}

}  // namespace

TEST_CASE("HKDF-SHA256 gives RFC 5869's test vectors", "[crypto][hkdf]") {
  const auto doc =
      nlohmann::json::parse(read_file(source_dir() + "/tests/data/crypto/hkdf-rfc5869.json"));
  for (const auto& c : doc["cases"]) {
    INFO(c["name"].get<std::string>());
    const auto ikm = from_hex(c["ikm"]), salt = from_hex(c["salt"]), info = from_hex(c["info"]);
    std::vector<unsigned char> okm(c["length"].get<std::size_t>());
    hkdf_sha256(ikm.data(), ikm.size(), salt.data(), salt.size(),
                std::string_view(reinterpret_cast<const char*>(info.data()), info.size()),
                okm.data(), okm.size());
    CHECK(to_hex(okm.data(), okm.size()) == c["okm"].get<std::string>());
  }
}

TEST_CASE("bech32 decodes BIP-173's valid strings, re-encodes them and refuses the invalid ones",
          "[crypto][bech32]") {
  const auto doc =
      nlohmann::json::parse(read_file(source_dir() + "/tests/data/crypto/bech32.json"));
  for (const auto& v : doc["valid"]) {
    const std::string text = v;
    INFO(text);
    const Bech32Data decoded = bech32_decode(text);
    const bool upper = text.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos;
    CHECK(bech32_encode(decoded.hrp, decoded.data.data(), decoded.data.size(), upper) == text);
  }
  for (const auto& v : doc["invalid"]) {
    INFO(v["text"].get<std::string>() << ": " << v["why"].get<std::string>());
    CHECK_THROWS_AS(bech32_decode(v["text"].get<std::string>()), Bech32Error);
  }
}

TEST_CASE("age keys: identities and recipients round-trip and are refused when damaged",
          "[crypto][age]") {
  const AgeIdentity identity = generate_age_identity();
  const std::string secret = identity.text();
  CHECK(secret.rfind("AGE-SECRET-KEY-1", 0) == 0);
  CHECK(secret.size() == 74);
  const std::string recipient = identity.recipient().text();
  CHECK(recipient.rfind("age1", 0) == 0);
  CHECK(recipient.size() == 62);
  CHECK(parse_age_recipient(recipient, "r").key == identity.recipient().key);
  CHECK(parse_age_identity(secret, "i").recipient().key == identity.recipient().key);
  std::string flipped = recipient;
  flipped[10] = flipped[10] == 'q' ? 'p' : 'q';
  CHECK_THROWS_WITH(parse_age_recipient(flipped, "recipients.txt:3"),
                    Catch::Contains("recipients.txt:3") && Catch::Contains("checksum"));
  CHECK_THROWS_WITH(parse_age_identity(recipient, "id.txt:1"),
                    Catch::Contains("id.txt:1: not an age X25519 identity"));
  std::string lower = secret;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CHECK_THROWS_WITH(parse_age_identity(lower, "id"), Catch::Contains("upper case"));
  // The message never shows a secret key.
  try {
    parse_age_identity(secret.substr(0, 70), "id");
    FAIL("a truncated identity was accepted");
  } catch (const AgeError& e) {
    CHECK(std::string(e.what()).find(secret.substr(16, 20)) == std::string::npos);
  }
}

TEST_CASE("age headers of age's testkit: file keys, MACs and refusals", "[crypto][age]") {
  const std::string dir = source_dir() + "/tests/data/age-testkit";
  int cases = 0;
  for (const std::string& name : list_dir(dir)) {
    if (name == "README.md") continue;
    ++cases;
    INFO(name);
    const std::string text = read_file(dir + "/" + name);
    const std::size_t blank = text.find("\n\n");
    std::map<std::string, std::string> fields;
    std::istringstream meta(text.substr(0, blank));
    for (std::string line; std::getline(meta, line);)
      fields[line.substr(0, line.find(": "))] = line.substr(line.find(": ") + 2);
    const std::string header_text = text.substr(blank + 2);
    AgeDecryptWith with;
    with.identities.push_back(parse_age_identity(fields.at("identity"), name));
    const std::string expect = fields.at("expect");
    try {
      const AgeHeader header = parse_age_header(header_text);
      const SecretBuffer key = unwrap_file_key(header, with);
      CHECK(to_hex(key.data(), key.size()) == fields.at("file key"));
      // The MAC, as the decryptor checks it (the payload is not part of these vectors).
      SecretBuffer mac_key(32);
      hkdf_sha256(key.data(), key.size(), nullptr, 0, "header", mac_key.data(), 32);
      const bool mac_ok =
          crypto_auth_hmacsha256_verify(
              header.mac.data(), reinterpret_cast<const unsigned char*>(header.mac_input.data()),
              header.mac_input.size(), mac_key.data()) == 0;
      CHECK(mac_ok == (expect == "success"));
      CHECK(expect != "no match");
    } catch (const AgeError& e) {
      INFO(e.what());
      if (expect == "no match")
        CHECK(e.kind() == AgeFailure::no_match);
      else
        CHECK(expect == "header failure");
    }
  }
  CHECK(cases >= 8);
}

TEST_CASE("age round trip: every size around the chunk boundary, recipients and passphrase",
          "[crypto][age]") {
  const AgeIdentity alice = generate_age_identity(), bob = generate_age_identity();
  AgeEncryptTo to;
  to.recipients = {alice.recipient(), bob.recipient()};
  for (const std::size_t size :
       {std::size_t{0}, std::size_t{1}, kAgeChunkBytes - 1, kAgeChunkBytes, kAgeChunkBytes + 1,
        3 * kAgeChunkBytes, 3 * kAgeChunkBytes + 12345}) {
    INFO("size " << size);
    const std::string plain = random_bytes(size, static_cast<unsigned>(size));
    const std::string file = encrypt_bytes(plain, to);
    // One chunk per started 64 KiB, the last full when the size is a multiple (one empty chunk
    // only for an empty file).
    const std::size_t chunks = size == 0 ? 1 : (size + kAgeChunkBytes - 1) / kAgeChunkBytes;
    CHECK(file.size() == header_size(file) + 16 + size + 16 * chunks);
    CHECK(decrypt_bytes(file, with_identity(alice)) == plain);
    CHECK(decrypt_bytes(file, with_identity(bob)) == plain);
  }
  AgeEncryptTo by_passphrase;
  by_passphrase.passphrase = secret_from_string("correct horse");
  by_passphrase.work_factor = 10;
  const std::string plain = random_bytes(100000, 7);
  const std::string file = encrypt_bytes(plain, by_passphrase);
  CHECK(file.find("\n-> scrypt ") != std::string::npos);
  AgeDecryptWith with;
  with.passphrase = secret_from_string("correct horse");
  CHECK(decrypt_bytes(file, with) == plain);
  with.passphrase = secret_from_string("wrong horse");
  CHECK_THAT(refusal(file, with), Catch::Contains("wrong passphrase"));
  CHECK_THAT(refusal(file, with_identity(alice)),
             Catch::Contains("encrypted with a passphrase (scrypt), and no passphrase"));
}

TEST_CASE("age refusals: wrong identity, flipped bytes, truncation, trailing data",
          "[crypto][age][hostile]") {
  const AgeIdentity alice = generate_age_identity(), mallory = generate_age_identity();
  AgeEncryptTo to;
  to.recipients = {alice.recipient(), alice.recipient()};
  const std::string plain = random_bytes(2 * kAgeChunkBytes + 500, 3);
  const std::string file = encrypt_bytes(plain, to);
  const AgeDecryptWith with = with_identity(alice);
  REQUIRE(decrypt_bytes(file, with) == plain);
  const std::size_t header = header_size(file);
  const std::size_t payload = header + 16;
  AgeFailure kind{};

  CHECK(refusal(file, with_identity(mallory), &kind) ==
        "no identity matches: the file's stanzas are X25519 x2; tried 1 identity");
  CHECK(kind == AgeFailure::no_match);

  auto flip = [&](std::size_t at) {
    std::string copy = file;
    copy[at] = static_cast<char>(copy[at] ^ 0x01);
    return copy;
  };
  // A stanza's argument (the share): the stanza no longer opens, or is malformed.
  CHECK_FALSE(refusal(flip(file.find("X25519 ") + 10), with).empty());
  // The MAC itself (one bit of its 32 bytes, re-encoded), a byte the MAC covers (a stanza body
  // byte would no longer open; the version line is checked first), and a MAC line that is not
  // base64.
  {
    const std::size_t mac_at = file.find("\n--- ") + 5;
    std::vector<unsigned char> mac;
    REQUIRE(age_base64_decode(file.substr(mac_at, 43), mac));
    mac[5] ^= 0x20;
    std::string changed = file;
    changed.replace(mac_at, 43, age_base64_encode(mac.data(), mac.size()));
    CHECK(refusal(changed, with, &kind) ==
          "the age header's MAC does not verify: the header was changed or damaged");
    CHECK(kind == AgeFailure::authentication);
    changed[mac_at + 3] = '*';
    CHECK_THAT(refusal(changed, with), Catch::Contains("line 6: the MAC is not 32 bytes"));
    CHECK_THAT(refusal(flip(3), with), Catch::Contains("not an age file"));
  }
  CHECK_THAT(refusal(flip(payload - 3), with), Catch::Contains("chunk 0"));  // the nonce
  CHECK_THAT(refusal(flip(payload + 10), with), Catch::Contains("chunk 0 of the age payload"));
  CHECK_THAT(refusal(flip(file.size() - 1), with, &kind),
             Catch::Contains("chunk 2 (the last) of the age payload does not authenticate"));
  CHECK(kind == AgeFailure::authentication);
  // Truncations: inside the header, inside the nonce, at a chunk boundary, inside a chunk.
  CHECK_THAT(refusal(file.substr(0, header - 10), with), Catch::Contains("ends inside the header"));
  CHECK_THAT(refusal(file.substr(0, payload - 5), with), Catch::Contains("nonce (truncated)"));
  CHECK_THAT(refusal(file.substr(0, payload), with),
             Catch::Contains("truncated: it ends before chunk 0"));
  CHECK_THAT(refusal(file.substr(0, payload + kAgeChunkBytes + 16), with),
             Catch::Contains("truncated: it ends after chunk 0, which is not the last"));
  CHECK_THAT(refusal(file.substr(0, payload + 2 * (kAgeChunkBytes + 16)), with),
             Catch::Contains("truncated: it ends after chunk 1, which is not the last"));
  CHECK_THAT(refusal(file.substr(0, file.size() - 1), with), Catch::Contains("chunk 2 (the last)"));
  CHECK_THAT(refusal(file.substr(0, payload + 7), with), Catch::Contains("shorter than its tag"));
  CHECK_THAT(refusal(file + "x", with), Catch::Contains("chunk 2 (the last)"));
  // A file whose last chunk is full, with data after it.
  const std::string full = encrypt_bytes(random_bytes(kAgeChunkBytes, 4), to);
  CHECK_THAT(refusal(full + "x", with), Catch::Contains("data after the age file's last chunk"));
  CHECK_THAT(refusal("", with), Catch::Contains("not an age file: it is empty"));
  CHECK_THAT(refusal("PK\x03\x04 zip", with), Catch::Contains("not an age file"));
  CHECK_THAT(refusal("-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n", with),
             Catch::Contains("ASCII-armored"));
}

TEST_CASE("age headers: unknown stanzas are skipped, scrypt must be alone, work factor bound",
          "[crypto][age][hostile]") {
  const AgeIdentity alice = generate_age_identity();
  AgeEncryptTo to;
  to.recipients = {alice.recipient()};
  const std::string file = encrypt_bytes("hello", to);
  const std::string header_text = file.substr(0, header_size(file));
  AgeHeader header = parse_age_header(header_text);
  AgeDecryptWith with = with_identity(alice);

  // Re-MAC a header the test changed, so that only the rule under test can refuse it.
  auto rebuilt = [&](std::vector<AgeStanza> stanzas, const SecretBuffer& key) {
    std::string text = format_age_header_without_mac(stanzas);
    SecretBuffer mac_key(32);
    hkdf_sha256(key.data(), key.size(), nullptr, 0, "header", mac_key.data(), 32);
    unsigned char mac[32];
    crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                           mac_key.data());
    return text + " " + age_base64_encode(mac, 32) + "\n" + file.substr(header_size(file));
  };
  const SecretBuffer key = unwrap_file_key(header, with);

  AgeStanza unknown;
  unknown.args = {"foo", "bar"};
  unknown.body = {1, 2, 3};
  auto stanzas = header.stanzas;
  stanzas.insert(stanzas.begin(), unknown);
  CHECK(decrypt_bytes(rebuilt(stanzas, key), with) == "hello");
  // An unknown stanza only: nothing opens, and the message lists what the file holds.
  CHECK(refusal(rebuilt({unknown}, key), with) ==
        "no identity matches: the file's stanzas are unknown-type \"foo\"; tried 1 identity");
  // A changed unknown stanza breaks the MAC.
  std::string changed = rebuilt(stanzas, key);
  changed.replace(changed.find("-> foo bar"), 10, "-> foo baz");
  CHECK_THAT(refusal(changed, with), Catch::Contains("MAC does not verify"));

  AgeEncryptTo by_passphrase;
  by_passphrase.passphrase = secret_from_string("pw");
  by_passphrase.work_factor = 2;
  const std::string scrypt_file = encrypt_bytes("hello", by_passphrase);
  AgeHeader scrypt_header = parse_age_header(scrypt_file.substr(0, header_size(scrypt_file)));
  AgeDecryptWith with_pw;
  with_pw.passphrase = secret_from_string("pw");
  auto mixed = scrypt_header.stanzas;
  mixed.push_back(header.stanzas.front());
  CHECK_THROWS_WITH(unwrap_file_key(AgeHeader{mixed, "", {}}, with_pw),
                    "an scrypt (passphrase) stanza must be the only stanza of an age header; this "
                    "one has scrypt, X25519");
  auto heavy = scrypt_header.stanzas;
  heavy[0].args[2] = std::to_string(kAgeMaxWorkFactor + 1);
  CHECK_THROWS_WITH(unwrap_file_key(AgeHeader{heavy, "", {}}, with_pw),
                    Catch::Contains("work factor 21 is over our limit of 20"));
  for (const char* factor : {"018", "0", "-1", "+5", "0x10", "18a", ""}) {
    heavy[0].args[2] = factor;
    INFO(factor);
    CHECK_THROWS_AS(unwrap_file_key(AgeHeader{heavy, "", {}}, with_pw), AgeError);
  }
}

TEST_CASE("age: 64 MiB written in 1 MiB blocks decrypts to the same bytes", "[crypto][age]") {
  const AgeIdentity alice = generate_age_identity();
  AgeEncryptTo to;
  to.recipients = {alice.recipient()};
  std::string file;
  unsigned char written[32], read_back[32];
  crypto_generichash_state hash;
  crypto_generichash_init(&hash, nullptr, 0, 32);
  {
    AgeEncryptor encryptor([&](const char* d, std::size_t n) { file.append(d, n); }, to);
    std::string block = random_bytes(1 << 20, 9);
    for (int i = 0; i < 64; ++i) {
      block[0] = static_cast<char>(i);
      crypto_generichash_update(&hash, reinterpret_cast<const unsigned char*>(block.data()),
                                block.size());
      encryptor.write(block.data(), block.size());
    }
    encryptor.finish();
  }
  crypto_generichash_final(&hash, written, 32);
  crypto_generichash_init(&hash, nullptr, 0, 32);
  AgeDecryptor decryptor(source_of(file, 1 << 16), with_identity(alice));
  std::vector<char> buffer(300000);
  std::uint64_t total = 0;
  while (const std::size_t got = decryptor.read(buffer.data(), buffer.size())) {
    crypto_generichash_update(&hash, reinterpret_cast<const unsigned char*>(buffer.data()), got);
    total += got;
  }
  crypto_generichash_final(&hash, read_back, 32);
  CHECK(total == 64u << 20);
  CHECK(std::memcmp(written, read_back, 32) == 0);
}
