// MariaDB, where every DDL statement commits at once and so every step of a DDL migration is
// journalled (and PostgreSQL, with the same steps declared non-transactional): the migpkg process
// killed (SIGKILL) at every step boundary of a migration of
// several DDL steps on tables holding rows. From each crash point, `status` names the last step
// committed, `install` resumes to the schema a clean install gives, and (on another run from the
// same point) `rollback` undoes the done steps back to the schema before the migration; the rows
// are kept every time. And the run lock (GET_LOCK) seen from the command line.
//
// The run is stopped before step n deterministically: every step of the crash-ddl fixture's
// second migration has a preValidation that takes the user lock `crash-gate-<n>:<database>`,
// so while the test holds that lock the run waits there, steps 1..n-1 committed and journalled.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/engines/engine_registry.hpp"
#include "unit/crash_test_support.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::test;

namespace {

// Where the property runs: MariaDB (every DDL step journalled because DDL commits at once) and,
// for the same journal and rollback code with other locks, PostgreSQL with the steps declared
// non-transactional (tests/scenarios/fixtures/crash-ddl-pg: pg_advisory_lock gates).
struct Target {
  std::string engine;   // "mysql", "postgresql"
  std::string server;   // the test server's URL
  std::string fixture;  // relative to the repository root
};
// The up steps of crashddl-002, in order; gate n (1-based) is in front of kSteps[n - 1].
const std::vector<std::string> kSteps = {"create-tags", "add-note",  "index-name",
                                         "rename-body", "check-qty", "index-notes"};
const int kItems = 60, kNotes = 45;

std::optional<Target> mariadb() {
  std::string server = mysql_url();
  if (server.empty()) {
    WARN("MIGPKG_TEST_MYSQL_URL is not set: MariaDB crash test skipped");
    return std::nullopt;
  }
  return Target{"mysql", server, "tests/scenarios/fixtures/crash-ddl"};
}

std::vector<Target> targets() {
  std::vector<Target> out;
  if (auto m = mariadb()) out.push_back(*m);
  std::string pg = postgres_url();
  if (pg.empty())
    WARN("MIGPKG_TEST_PG_URL is not set: PostgreSQL part skipped");
  else
    out.push_back({"postgresql", pg, "tests/scenarios/fixtures/crash-ddl-pg"});
  return out;
}

// The SQL that takes (0 s wait: "1"/"t" when taken) or frees gate n on `engine`.
std::string gate_sql(const std::string& engine, int n, bool take) {
  std::string name = "'crash-gate-" + std::to_string(n) + ":'";
  if (engine == "mysql")
    return std::string(take ? "SELECT GET_LOCK(" : "SELECT RELEASE_LOCK(") + "CONCAT(" + name +
           ", DATABASE())" + (take ? ", 0)" : ")");
  return std::string(take ? "SELECT pg_try_advisory_lock" : "SELECT pg_advisory_unlock") +
         "(hashtext(" + name + " || current_database()))";
}

// Gate n held by the test's own session: a run on the same database waits in front of step n.
class Gate {
 public:
  Gate(const std::string& engine, const std::string& url, int n)
      : release_(gate_sql(engine, n, false)), connection_(migpkg::runtime::open_url(url)) {
    auto got = connection_->query(gate_sql(engine, n, true)).rows.at(0).at(0).value_or("NULL");
    REQUIRE((got == "1" || got == "t"));
  }
  void release() { connection_->query(release_); }

 private:
  std::string release_;
  std::unique_ptr<migpkg::runtime::Connection> connection_;
};

// Whether a session of this database waits at gate n (its processlist id, or "").
std::string waiting_at_gate(const std::string& engine, const std::string& url, int n) {
  std::string pattern = "'%crash-gate-" + std::to_string(n) + ":%'";
  if (engine == "mysql")
    return scalar(url,
                  "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND STATE = "
                  "'User lock' AND INFO LIKE " +
                      pattern);
  return scalar(url,
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND "
                "wait_event_type = 'Lock' AND query LIKE " +
                    pattern);
}

std::string sql_string(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// Rows with quotes, newlines, tabs, non-ASCII text and NULLs in both tables.
void fill_rows(const std::string& url) {
  auto c = migpkg::runtime::open_url(url);
  std::string items = "INSERT INTO crash_items (id, name, qty) VALUES ";
  for (int i = 1; i <= kItems; ++i) {
    std::string name = i % 3 == 0   ? "größe ✓ " + std::to_string(i)
                       : i % 3 == 1 ? "it's item " + std::to_string(i)
                                    : "item\t" + std::to_string(i);
    items += (i > 1 ? ", (" : "(") + std::to_string(i) + ", " + sql_string(name) + ", " +
             std::to_string(i % 9) + ")";
  }
  c->execute(items);
  std::string notes = "INSERT INTO crash_notes (id, item_id, body) VALUES ";
  for (int j = 1; j <= kNotes; ++j) {
    std::string item = j % 10 == 0 ? "NULL" : std::to_string(j % kItems + 1);
    std::string body =
        j % 7 == 0 ? "NULL" : sql_string("note " + std::to_string(j) + "\nline 2 — ü");
    notes += (j > 1 ? ", (" : "(") + std::to_string(j) + ", " + item + ", " + body + ")";
  }
  c->execute(notes);
}

// Every row the migration must keep, as text. The notes' third column is read by position: the
// migration renames it.
std::string rows_of(const std::string& url) {
  auto c = migpkg::runtime::open_url(url);
  std::string out;
  for (const char* sql : {"SELECT id, name, qty FROM crash_items ORDER BY id",
                          "SELECT * FROM crash_notes ORDER BY id"}) {
    for (const auto& row : c->query(sql).rows) {
      for (const auto& value : row) out += (value ? "'" + *value + "'" : "NULL") + "|";
      out += "\n";
    }
    out += "--\n";
  }
  return out;
}

// A scratch database with the first migration installed and rows in its tables.
struct Prepared {
  std::string engine, fixture;
  std::unique_ptr<migpkg::runtime::TemporaryDatabase> database;
  std::string url;
  std::vector<std::string> schema_before;  // before crashddl-002
  std::string rows;
};

Prepared prepare(const Target& target) {
  Prepared p;
  p.engine = target.engine;
  p.fixture = target.fixture;
  p.database =
      std::make_unique<migpkg::runtime::TemporaryDatabase>(target.server, "migpkg_crashddl");
  p.url = p.database->url();
  auto base = run_cli("install " + p.fixture + " --to 1.0.0 --db '" + p.url + "'");
  INFO(base.err);
  REQUIRE(base.exit_code == 0);
  fill_rows(p.url);
  p.schema_before = user_schema(p.url);
  p.rows = rows_of(p.url);
  REQUIRE(p.rows.find("größe") != std::string::npos);
  return p;
}

// The schema a clean install of both migrations gives, no gate held.
std::vector<std::string> clean_install_schema(const Target& target) {
  Prepared p = prepare(target);
  auto install = run_cli("install " + p.fixture + " --db '" + p.url + "'");
  INFO(install.err);
  REQUIRE(install.exit_code == 0);
  CHECK(rows_of(p.url) == p.rows);
  return user_schema(p.url);
}

// Starts the install of both migrations with gate n held, waits until the run waits there,
// checks that exactly the steps before n are journalled, and kills it.
void kill_before_step(const Prepared& p, int n) {
  Gate gate(p.engine, p.url, n);
  auto run = start("install " + p.fixture + " --db '" + p.url + "'");
  if (!wait_for([&] { return !waiting_at_gate(p.engine, p.url, n).empty(); })) {
    kill_hard(run);
    FAIL("the install never reached gate " << n << "; its stderr:\n" << read_file(run.err));
  }
  CHECK(scalar(p.url, "SELECT COUNT(*) FROM migpkg_journal") == std::to_string(n - 1));
  kill_hard(run);
  gate.release();  // a session the server has not ended yet gets it, fails to answer and ends
}

void check_status_names_step(const std::string& url, int n) {
  auto status = run_cli("status --json --db '" + url + "'");
  INFO(status.out << status.err);
  REQUIRE(status.exit_code == 0);
  auto report = nlohmann::json::parse(status.out);
  REQUIRE(report["partial"].size() == 1);
  const auto& partial = report["partial"][0];
  CHECK(partial["migrationId"] == "crashddl-002");
  CHECK(partial["stepsDone"] == n - 1);
  if (n > 1)
    CHECK(partial["lastStepDone"] == kSteps[n - 2]);
  else
    CHECK(partial["lastStepDone"].is_null());
  CHECK(partial["nextStep"] == kSteps[n - 1]);

  auto text = run_cli("status --db '" + url + "'");
  CHECK(text.out.find("PARTIAL test.crashddl/crashddl-002 (up): " + std::to_string(n - 1) + " of " +
                      std::to_string(kSteps.size()) + " steps done, next step " + kSteps[n - 1]) !=
        std::string::npos);
}

}  // namespace

TEST_CASE("SIGKILL before each journalled DDL step, then status, resume or rollback, rows kept",
          "[crash][mysql][postgresql]") {
  for (const Target& target : targets()) {
    INFO("engine: " << target.engine);
    const auto clean = clean_install_schema(target);

    for (int n = 1; n <= static_cast<int>(kSteps.size()); ++n) {
      INFO("killed before step " << n << " (" << kSteps[n - 1] << ")");
      {
        INFO("then install resumes");
        Prepared p = prepare(target);
        kill_before_step(p, n);
        check_status_names_step(p.url, n);

        auto resumed = run_cli("install " + p.fixture + " --db '" + p.url + "'");
        INFO(resumed.err);
        REQUIRE(resumed.exit_code == 0);
        CHECK(resumed.err.find("an earlier run did not finish") != std::string::npos);
        // Killed before its first step was journalled, nothing is left to resume: it is applied
        // from its first step.
        CHECK(resumed.out.find((n > 1 ? "resumed" : "applied") +
                               std::string(" test.crashddl/crashddl-002")) != std::string::npos);
        for (int i = 1; i <= static_cast<int>(kSteps.size()); ++i) {
          bool ran = resumed.err.find("up step " + kSteps[i - 1]) != std::string::npos;
          CHECK(ran == (i >= n));  // the committed steps are not run again
        }
        CHECK(user_schema(p.url) == clean);
        CHECK(rows_of(p.url) == p.rows);
        CHECK(scalar(p.url, "SELECT COUNT(*) FROM crash_items WHERE note = 'new'") ==
              std::to_string(kItems));
        CHECK(scalar(p.url, "SELECT COUNT(*) FROM migpkg_applied") == "2");
        CHECK(scalar(p.url, "SELECT COUNT(*) FROM migpkg_inflight") == "0");
        CHECK(scalar(p.url, "SELECT COUNT(*) FROM migpkg_journal") == "0");
      }
      {
        INFO("then rollback undoes");
        Prepared p = prepare(target);
        kill_before_step(p, n);
        check_status_names_step(p.url, n);

        auto rollback = run_cli("rollback test.crashddl --no-backup --db '" + p.url + "'");
        INFO(rollback.err);
        REQUIRE(rollback.exit_code == 0);
        CHECK(user_schema(p.url) == p.schema_before);
        CHECK(rows_of(p.url) == p.rows);
        CHECK(scalar(p.url, "SELECT COUNT(*) FROM migpkg_applied") == "1");  // the first stays
        CHECK(scalar(p.url, "SELECT COUNT(*) FROM migpkg_inflight") == "0");
        CHECK(scalar(p.url, "SELECT COUNT(*) FROM migpkg_journal") == "0");
        auto status = nlohmann::json::parse(run_cli("status --json --db '" + p.url + "'").out);
        CHECK(status["partial"].empty());

        // Undone, the migration installs again from its first step.
        auto again = run_cli("install " + p.fixture + " --db '" + p.url + "'");
        INFO(again.err);
        REQUIRE(again.exit_code == 0);
        CHECK(user_schema(p.url) == clean);
        CHECK(rows_of(p.url) == p.rows);
      }
    }
  }
}

TEST_CASE("MariaDB: a second run exits 4 naming the holder, free at once after kill -9",
          "[crash][lock][mysql]") {
  auto target = mariadb();
  if (!target) return;
  const auto clean = clean_install_schema(*target);
  Prepared p = prepare(*target);
  std::string install = "install " + p.fixture + " --db '" + p.url + "'";
  std::string run_lock = "CONCAT('migpkg:', DATABASE())";

  Gate gate("mysql", p.url, 3);
  auto holder = start(install);
  std::string holder_id;
  REQUIRE(wait_for([&] { return !(holder_id = waiting_at_gate("mysql", p.url, 3)).empty(); }));
  CHECK(scalar(p.url, "SELECT IS_USED_LOCK(" + run_lock + ")") == holder_id);

  auto started = std::chrono::steady_clock::now();
  auto second = run_cli(install + " --lock-timeout 2");
  auto waited = std::chrono::steady_clock::now() - started;
  INFO(second.err);
  CHECK(second.exit_code == 4);
  CHECK(waited >= std::chrono::milliseconds(1900));
  CHECK(second.err.find("database is locked by another migpkg run") != std::string::npos);
  CHECK(second.err.find("migpkg install by") != std::string::npos);
  CHECK(second.err.find("connection " + holder_id) != std::string::npos);
  CHECK(scalar(p.url, "SELECT COUNT(*) FROM migpkg_journal") == "2");  // the holder's, untouched

  // Killed while its session waits in GET_LOCK: the server sees the closed socket within about
  // a second and ends the session, and the run lock with it, though the gate is still held.
  kill_hard(holder);
  auto killed = std::chrono::steady_clock::now();
  REQUIRE(
      wait_for([&] { return scalar(p.url, "SELECT IS_FREE_LOCK(" + run_lock + ")") == "1"; }, 10));
  CHECK(std::chrono::steady_clock::now() - killed < std::chrono::seconds(3));
  CHECK(waiting_at_gate("mysql", p.url, 3).empty());

  gate.release();
  auto next = run_cli(install + " --lock-timeout 0");
  INFO(next.err);
  CHECK(next.exit_code == 0);
  CHECK(next.out.find("resumed test.crashddl/crashddl-002") != std::string::npos);
  CHECK(user_schema(p.url) == clean);
  CHECK(rows_of(p.url) == p.rows);
}

// A rollback of several migrations on MariaDB killed between two of them: the migration the run
// had started on (its in-flight row committed with the previous migration's closing writes, its
// plan taken from its applied row) is named by status, install refuses to run over it, and a
// second rollback finishes the work; the rows of the tables not yet dropped are kept.
TEST_CASE(
    "SIGKILL between two migrations of a rollback: status names the next one, rollback "
    "finishes it",
    "[crash][mysql]") {
  auto target = mariadb();
  if (!target) return;
  const std::string fixture = "tests/scenarios/fixtures/crash-down";
  migpkg::runtime::TemporaryDatabase database(target->server, "migpkg_crashdown");
  const std::string url = database.url();
  auto installed = run_cli("install " + fixture + " --db '" + url + "'");
  INFO(installed.err);
  REQUIRE(installed.exit_code == 0);
  {
    auto c = migpkg::runtime::open_url(url);
    for (const char* table : {"crashdown_a", "crashdown_b", "crashdown_c"})
      c->execute(std::string("INSERT INTO ") + table +
                 " (id, label) VALUES (1, 'größe ✓'), (2, 'it''s'), (3, NULL)");
  }
  const std::string rows_a = scalar(url, "SELECT GROUP_CONCAT(id, label) FROM crashdown_a");

  // The down of crashdown-002 waits at the gate: crashdown-003 is rolled back by then.
  auto gate = migpkg::runtime::open_url(url);
  REQUIRE(
      gate->query("SELECT GET_LOCK(CONCAT('crash-down-gate:', DATABASE()), 0)").rows.at(0).at(0) ==
      std::optional<std::string>("1"));
  auto run = start("rollback test.crashdown --all --no-backup --db '" + url + "'");
  bool waiting = wait_for([&] {
    return !scalar(url,
                   "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND "
                   "STATE = 'User lock' AND INFO LIKE '%crash-down-gate:%'")
                .empty();
  });
  if (!waiting) {
    kill_hard(run);
    FAIL("the rollback never reached the gate; its stderr:\n" << read_file(run.err));
  }
  kill_hard(run);
  gate->query("SELECT RELEASE_LOCK(CONCAT('crash-down-gate:', DATABASE()))");

  // crashdown-003 is rolled back; crashdown-002 is in flight, down, with no step done.
  CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_applied") == "2");
  CHECK(scalar(url,
               "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
               "DATABASE() AND TABLE_NAME LIKE 'crashdown\\_%'") == "2");
  CHECK(scalar(url,
               "SELECT CONCAT(migration_id, ' ', direction, ' ', LENGTH(plan)) FROM "
               "migpkg_inflight") == "crashdown-002 down 0");
  auto status = run_cli("status --json --db '" + url + "'");
  INFO(status.out << status.err);
  REQUIRE(status.exit_code == 0);
  auto report = nlohmann::json::parse(status.out);
  REQUIRE(report["partial"].size() == 1);
  CHECK(report["partial"][0]["migrationId"] == "crashdown-002");
  CHECK(report["partial"][0]["direction"] == "down");
  CHECK(report["partial"][0]["stepsDone"] == 0);
  CHECK(report["partial"][0]["nextStep"] == "drop-b");
  CHECK(scalar(url, "SELECT COUNT(*) FROM crashdown_b") == "3");
  CHECK(scalar(url, "SELECT GROUP_CONCAT(id, label) FROM crashdown_a") == rows_a);

  auto refused = run_cli("install " + fixture + " --db '" + url + "'");
  CHECK(refused.exit_code != 0);
  CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_applied") == "2");

  auto finished = run_cli("rollback test.crashdown --all --no-backup --db '" + url + "'");
  INFO(finished.err);
  REQUIRE(finished.exit_code == 0);
  CHECK(user_schema(url).empty());
  CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_applied") == "0");
  CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_inflight") == "0");
  CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_journal") == "0");
  CHECK(scalar(url, "SELECT COUNT(*) FROM migpkg_history WHERE state = 'rolled-back'") == "3");
}
