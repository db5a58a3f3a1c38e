// Encrypted data sets (docs/data-encryption.md) through the CLI on SQLite,
// PostgreSQL and MariaDB: every edge value exported encrypted and imported into another
// database (CSV, which holds a JSON null), the same rows; a data set Debian's age encrypted
// imports; and every damaged or mis-keyed encrypted data set refused before a row is written, the
// target's seed rows intact.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <optional>

#include "runtime/engines/engine_registry.hpp"
#include "unit/age_test_support.hpp"
#include "unit/data_move_support.hpp"
#include "unit/edge_values.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;
using migpkg::data::Row;
using json = nlohmann::json;

namespace {

// Two new databases on each engine: SQLite files, then scratch databases on each test server.
void for_each_engine_pair(
    const std::string& prefix,
    const std::function<void(const std::string&, const std::string&, const std::string&)>& body) {
  const std::string dir = make_temp_dir();
  body("sqlite", "sqlite:" + dir + "/from.db", "sqlite:" + dir + "/to.db");
  for (const ServerEngine& engine : server_engines()) {
    const std::string server = engine.server_url();
    if (server.empty()) {
      WARN(std::string(engine.name) + " part skipped: " + engine.variable + " is not set");
      continue;
    }
    migpkg::runtime::TemporaryDatabase from(server, prefix + "_from"), to(server, prefix + "_to");
    body(engine.dialect, from.url(), to.url());
  }
}

std::string keygen_age(const std::string& path) {
  CommandResult r = run_cli("keygen --age -o " + shell_quoted(path));
  REQUIRE(r.exit_code == 0);
  return r.out.substr(r.out.find("public key: ") + 12, 62);
}

}  // namespace

TEST_CASE("an encrypted export imports into another database with every edge value the same",
          "[data][age][edge][sqlite][postgresql][mysql]") {
  const json cases = json::parse(read_file(source_dir() + "/tests/data/edge-values.json"));
  for_each_engine_pair("migpkg_age_edge", [&](const std::string& dialect, const std::string& from,
                                              const std::string& to) {
    INFO(dialect);
    const std::string dir = make_temp_dir();
    const std::string alice = dir + "/alice.txt", bob = dir + "/bob.txt";
    const std::string alice_r = keygen_age(alice), bob_r = keygen_age(bob);
    std::vector<std::string> tables;
    int number = 0;
    for (const json& type_case : cases["types"]) {
      const std::string table = "edge_" + std::to_string(++number);
      tables.push_back(table);
      create_value_table(from, table, type_case["type"]);
      create_value_table(to, table, type_case["type"]);
      std::vector<Row> rows;
      int id = 0;
      for (const json& entry : type_case["values"]) {
        ++id;
        if (entry.contains("refused") &&
            (entry["refused"].contains(dialect) || entry["refused"].contains("*")))
          continue;
        rows.push_back({std::to_string(id), edge_input(entry)});
      }
      write_rows(from, table, {"id", "v"}, rows);
    }
    std::string list;
    for (const std::string& t : tables) list += (list.empty() ? "" : ",") + t;
    const std::string out = dir + "/edge.migdata";
    CommandResult r = run_cli("export --db " + shell_quoted(from) + " --tables " + list +
                              " --format csv --compress zstd -o " + shell_quoted(out) +
                              " --encrypt-to " + alice_r + " --encrypt-to " + bob_r + " --json");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const json report = checked_report(r.out, "export-report.schema.json");
    CHECK(report["encryption"] == json{{"format", "age"}, {"recipients", 2}});
    CHECK(r.out.find("AGE-SECRET") == std::string::npos);
    const std::string bytes = read_file(out);
    CHECK(bytes.rfind("age-encryption.org/v1\n", 0) == 0);
    CHECK(bytes.find("edge_1") == std::string::npos);  // no table name in the clear
    // Debian's age opens it: the plaintext is the .migdata tar.
    CHECK(shell("age -d -i " + shell_quoted(bob) + " " + shell_quoted(out) +
                " | tar tf - | grep -qx dataset.json") == 0);
    r = run_cli("import " + shell_quoted(out) + " --db " + shell_quoted(to) + " -i " +
                shell_quoted(alice) + " --json");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    for (const std::string& table : tables) {
      INFO(table);
      CHECK(table_rows(to, table) == table_rows(from, table));
    }
  });
}

TEST_CASE("a data set Debian's age encrypted (recipient or passphrase) imports",
          "[data][age][interop][sqlite]") {
  const std::string dir = make_temp_dir();
  const std::string from = "sqlite:" + dir + "/from.db";
  install_shop(from);
  fill_shop(from, 50, 120);
  const std::string plain = dir + "/shop.migdata";
  REQUIRE(run_cli("export test.shop --db " + shell_quoted(from) + " -o " + shell_quoted(plain))
              .exit_code == 0);
  const std::string id = dir + "/id.txt";
  const std::string recipient = keygen_age(id);
  REQUIRE(shell("age -e -r " + recipient + " -o " + shell_quoted(dir + "/r.migdata") + " " +
                shell_quoted(plain)) == 0);
  PtyResult p = run_with_passphrase({"age", "-p", "-o", dir + "/p.migdata", plain}, "shop pw");
  REQUIRE(p.exit_code == 0);
  write_file(dir + "/pw", "shop pw\n");
  for (const auto& [file, keys] : std::vector<std::pair<std::string, std::string>>{
           {"r.migdata", "-i " + shell_quoted(id)},
           {"p.migdata", "--passphrase-file " + shell_quoted(dir + "/pw")}}) {
    INFO(file);
    const std::string to = "sqlite:" + dir + "/to-" + file + ".db";
    install_shop(to);
    CommandResult r = run_cli("import " + shell_quoted(dir + "/" + file) + " --db " +
                              shell_quoted(to) + " " + keys);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    for (const std::string& table : kShopTables) check_same_rows(from, to, table);
  }
}

TEST_CASE("a damaged or mis-keyed encrypted data set is refused before a row is written",
          "[data][age][hostile][sqlite][postgresql][mysql]") {
  for_each_engine_pair("migpkg_age_bad", [](const std::string& dialect, const std::string& from,
                                            const std::string& to) {
    INFO(dialect);
    const std::string dir = make_temp_dir();
    const std::string id = dir + "/id.txt", other = dir + "/other.txt", pw = dir + "/pw";
    const std::string recipient = keygen_age(id);
    keygen_age(other);
    write_file(pw, "data set pw\n");
    write_file(dir + "/wrong", "not the data set pw\n");
    install_shop(from);
    fill_shop(from, 300, 700);
    const std::string good = dir + "/shop.migdata", by_pw = dir + "/pw.migdata";
    REQUIRE(run_cli("export test.shop --db " + shell_quoted(from) + " -o " + shell_quoted(good) +
                    " --encrypt-to " + recipient)
                .exit_code == 0);
    REQUIRE(run_cli("export test.shop --db " + shell_quoted(from) + " -o " + shell_quoted(by_pw) +
                    " --passphrase-file " + shell_quoted(pw))
                .exit_code == 0);
    // A tar that ends chunks before the file does (zero blocks after it, as tar pads): only
    // reading to the last chunk shows a change there.
    const std::string padded = dir + "/padded.migdata", plain = dir + "/plain.migdata";
    REQUIRE(run_cli("export test.shop --db " + shell_quoted(from) + " -o " + shell_quoted(plain))
                .exit_code == 0);
    write_file(plain, read_file(plain) + std::string(200000, '\0'));
    REQUIRE(run_cli("encrypt -r " + recipient + " -o " + shell_quoted(padded) + " " +
                    shell_quoted(plain))
                .exit_code == 0);
    const std::string padded_file = read_file(padded);
    const std::string file = read_file(good), pw_file = read_file(by_pw);
    const std::size_t header = age_header_end(file), payload = header + 16;
    REQUIRE(file.size() > payload + 2 * 65552);  // three chunks or more: the last is not the first
    // The target holds rows before each import (the first of the data set's keys: skip mode
    // would keep them and add the others, so any row written shows).
    install_shop(to);
    fill_shop(to, 20, 30);
    const TableDigest customers = table_digest(to, "shop_customers"),
                      orders = table_digest(to, "shop_orders");
    REQUIRE(customers.rows == 20);

    std::string heavy = pw_file;
    heavy.replace(heavy.find(" 18\n"), 4, " 21\n");
    const std::string keys = "-i " + shell_quoted(id);
    struct Case {
      std::string name, bytes, keys, message;
      int exit_code;
    };
    const std::vector<Case> cases = {
        {"no keys", file, "", "is age-encrypted: give --identity FILE", 2},
        {"wrong identity", file, "-i " + shell_quoted(other),
         "no identity matches: the file's stanzas are X25519; tried 1 identity", 3},
        {"wrong passphrase", pw_file, "--passphrase-file " + shell_quoted(dir + "/wrong"),
         "wrong passphrase", 3},
        {"header byte", flip_byte(file, file.find("X25519 ") + 12), keys, "", 3},
        {"MAC byte", flip_byte(file, header - 10), keys, "", 3},
        {"first chunk", flip_byte(file, payload + 700), keys, "chunk 0 of the age payload", 3},
        {"last chunk", flip_byte(file, file.size() - 20), keys, "(the last) of the age payload", 3},
        {"last chunk, after the tar's end", flip_byte(padded_file, padded_file.size() - 20), keys,
         "(the last) of the age payload", 3},
        {"truncated in the header", file.substr(0, header - 30), keys, "inside the header", 3},
        {"truncated at a chunk end", file.substr(0, payload + 2 * 65552), keys, "truncated", 3},
        {"truncated in the last chunk", file.substr(0, file.size() - 1), keys, "(the last)", 3},
        {"a trailing byte", file + "x", keys, "", 3},
        {"unknown stanza only", with_stanzas(file, "-> foo bar\nAAAA\n"), keys,
         "the file's stanzas are unknown-type \"foo\"", 3},
        {"scrypt with another stanza",
         with_stanzas(file,
                      file.substr(file.find('\n') + 1, file.find("\n--- ") - file.find('\n')) +
                          "-> scrypt c2FsdHNhbHRzYWx0c2FsdA 18\nAAAA\n"),
         keys, "an scrypt (passphrase) stanza must be the only stanza", 3},
        {"work factor over the limit", heavy, "--passphrase-file " + shell_quoted(pw),
         "work factor 21 is over our limit of 20", 3},
    };
    for (const Case& c : cases) {
      INFO(c.name);
      const std::string bad = dir + "/bad.migdata";
      write_file(bad, c.bytes);
      for (const char* conflict : {"fail", "skip"}) {
        CommandResult r = run_cli("import " + shell_quoted(bad) + " --db " + shell_quoted(to) +
                                  " --on-conflict " + std::string(conflict) + " " + c.keys);
        INFO(r.out << r.err);
        CHECK(r.exit_code == c.exit_code);
        CHECK_THAT(r.err, Catch::Contains(c.message));
        CHECK(table_digest(to, "shop_customers") == customers);
        CHECK(table_digest(to, "shop_orders") == orders);
      }
    }
    // The intact file imports (skipping the seed rows' keys), so the refusals were the damage.
    CommandResult r = run_cli("import " + shell_quoted(good) + " --db " + shell_quoted(to) +
                              " --on-conflict skip " + keys);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(table_digest(to, "shop_customers").rows == 300);
    CHECK(table_digest(to, "shop_orders").rows == 700);
  });
}
