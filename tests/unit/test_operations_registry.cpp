// The operations registry on its own (runtime/operations/, docs/operations.md), with work
// functions that stand in for database work: the lifecycle, cancel of pending, running, finished
// and unknown operations, progress with rate and ETA, the bounded log, reads while work runs,
// and the history file across restarts (records reloaded, a crash-truncated last line, an
// operation that was running when its process died). Every record is checked against
// schemas/operation.schema.json.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "runtime/operations/operation_registry.hpp"
#include "unit/json_schema_check.hpp"
#include "unit/test_support.hpp"

using namespace migpkg::operations;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

void check_schema(const OperationRecord& record) {
  json j = json::parse(record.to_json());
  INFO(j.dump(2));
  CHECK(migpkg::test::schema_violations(migpkg::test::load_schema("operation.schema.json"), j) ==
        std::vector<std::string>{});
}

OperationRecord finished(OperationRegistry& registry, const std::string& id) {
  std::optional<OperationRecord> record = registry.wait(id, 60s);
  REQUIRE(record);
  REQUIRE(is_finished(record->state));
  check_schema(*record);
  return *record;
}

// Work that runs until cancelled (polling like a safe point), reporting progress.
OperationWork until_cancelled(std::atomic<int>& steps) {
  return [&steps](OperationContext& ctx) {
    while (!ctx.cancel_requested()) {
      ++steps;
      ctx.progress({"steps", static_cast<std::uint64_t>(steps.load()), 1000000, 0, std::nullopt});
      std::this_thread::sleep_for(1ms);
    }
    return OperationOutcome{
        R"({"stopped":true})",
        OperationProblem{kCancelledCode, "stopped at a safe point", kCancelledExitCode}};
  };
}

void wait_until(const std::function<bool()>& condition) {
  for (int i = 0; i < 20000 && !condition(); ++i) std::this_thread::sleep_for(1ms);
  REQUIRE(condition());
}

}  // namespace

TEST_CASE("an operation goes pending, running, completed with its result and log", "[operations]") {
  const std::string dir = migpkg::test::make_temp_dir();
  OperationRegistry registry(dir + "/operations.jsonl");
  std::atomic<bool> release{false};
  std::string id = registry.submit("install", "alice", R"({"database":"sqlite:x.db"})",
                                   [&](OperationContext& ctx) {
                                     ctx.log("applying test/one");
                                     ctx.progress({"migrations", 1, 2, 0, std::nullopt});
                                     while (!release) std::this_thread::sleep_for(1ms);
                                     ctx.progress({"migrations", 2, 2, 0, std::nullopt});
                                     return OperationOutcome{R"({"status":"ok"})", std::nullopt};
                                   });
  wait_until([&] { return registry.get(id)->state == OperationState::running; });
  OperationRecord running = *registry.get(id);
  check_schema(running);
  CHECK(running.kind == "install");
  CHECK(running.requested_by == "alice");
  CHECK_FALSE(running.created_at.empty());
  CHECK_FALSE(running.started_at.empty());
  CHECK(running.finished_at.empty());
  release = true;
  OperationRecord done = finished(registry, id);
  CHECK(done.state == OperationState::completed);
  CHECK_FALSE(done.problem);
  CHECK(json::parse(done.result_json)["status"] == "ok");
  CHECK(done.log == std::vector<std::string>{"applying test/one"});
  CHECK(done.progress.done == 2);
  CHECK(done.progress.total == 2);
  REQUIRE(done.progress.eta_seconds);
  CHECK(*done.progress.eta_seconds == 0);
  CHECK(json::parse(done.to_json())["request"]["database"] == "sqlite:x.db");
}

TEST_CASE("a work function that throws ends failed with the message", "[operations]") {
  const std::string dir = migpkg::test::make_temp_dir();
  OperationRegistry registry(dir + "/operations.jsonl");
  std::string id = registry.submit("copy", "bob", "{}", [](OperationContext&) -> OperationOutcome {
    throw std::runtime_error("the source database sqlite:nowhere.db does not exist");
  });
  OperationRecord done = finished(registry, id);
  CHECK(done.state == OperationState::failed);
  REQUIRE(done.problem);
  CHECK(done.problem->code == "failed");
  CHECK(done.problem->exit_code == 1);
  CHECK(done.problem->message == "the source database sqlite:nowhere.db does not exist");
}

TEST_CASE("cancel: running work stops at its safe point, pending work never starts",
          "[operations]") {
  const std::string dir = migpkg::test::make_temp_dir();
  OperationRegistry registry(dir + "/operations.jsonl");
  std::atomic<int> steps{0};
  std::string running = registry.submit("copy", "carol", "{}", until_cancelled(steps));
  std::atomic<bool> second_ran{false};
  std::string pending = registry.submit("import", "carol", "{}", [&](OperationContext&) {
    second_ran = true;
    return OperationOutcome{};
  });
  wait_until([&] { return registry.get(running)->progress.done > 5; });
  CHECK(registry.get(pending)->state == OperationState::pending);

  CHECK(registry.cancel(pending) == CancelResult::requested);
  OperationRecord never = *registry.get(pending);
  CHECK(never.state == OperationState::cancelled);
  CHECK(never.started_at.empty());
  REQUIRE(never.problem);
  CHECK(never.problem->code == "cancelled");
  CHECK(never.problem->exit_code == kCancelledExitCode);

  // Progress while running: a rate from the steps done, an ETA from the total.
  OperationRecord midway = *registry.get(running);
  CHECK(midway.progress.rate_per_second > 0);
  REQUIRE(midway.progress.eta_seconds);
  CHECK(*midway.progress.eta_seconds > 0);

  CHECK(registry.cancel(running) == CancelResult::requested);
  OperationRecord stopped = finished(registry, running);
  CHECK(stopped.state == OperationState::cancelled);
  REQUIRE(stopped.problem);
  CHECK(stopped.problem->code == "cancelled");
  CHECK(json::parse(stopped.result_json)["stopped"] == true);
  CHECK_FALSE(second_ran);

  CHECK(registry.cancel(running) == CancelResult::already_finished);
  CHECK(registry.cancel(pending) == CancelResult::already_finished);
  CHECK(registry.cancel("op-0000000000000000") == CancelResult::not_found);
  CHECK(registry.cancel("") == CancelResult::not_found);
}

TEST_CASE("operations run one at a time in the order submitted; list is newest first",
          "[operations]") {
  const std::string dir = migpkg::test::make_temp_dir();
  OperationRegistry registry(dir + "/operations.jsonl");
  std::vector<int> order;
  std::mutex mutex;
  std::atomic<int> active{0};
  std::atomic<bool> overlapped{false};
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(registry.submit("export", "dave", "{}", [&, i](OperationContext&) {
      if (++active > 1) overlapped = true;
      std::this_thread::sleep_for(5ms);
      {
        std::lock_guard<std::mutex> lock(mutex);
        order.push_back(i);
      }
      --active;
      return OperationOutcome{};
    }));
  for (const auto& id : ids) CHECK(finished(registry, id).state == OperationState::completed);
  CHECK(order == std::vector<int>{0, 1, 2, 3, 4});
  CHECK_FALSE(overlapped);
  std::vector<OperationRecord> listed = registry.list();
  REQUIRE(listed.size() == 5);
  for (std::size_t i = 0; i < 5; ++i) CHECK(listed[i].id == ids[4 - i]);
}

TEST_CASE("the log keeps its last lines, each bounded", "[operations]") {
  const std::string dir = migpkg::test::make_temp_dir();
  OperationRegistry registry(dir + "/operations.jsonl");
  std::string id = registry.submit("install", "erin", "{}", [](OperationContext& ctx) {
    for (std::size_t i = 0; i < kMaxLogLines + 50; ++i) ctx.log("line " + std::to_string(i));
    ctx.log(std::string(kMaxLogLineBytes * 3, 'x'));
    return OperationOutcome{};
  });
  OperationRecord done = finished(registry, id);
  REQUIRE(done.log.size() == kMaxLogLines);
  CHECK(done.log.front() == "line 51");
  CHECK(done.log.back().size() <= kMaxLogLineBytes + 3);
}

TEST_CASE("reads while work runs see consistent records", "[operations][concurrency]") {
  const std::string dir = migpkg::test::make_temp_dir();
  OperationRegistry registry(dir + "/operations.jsonl");
  std::atomic<int> steps{0};
  std::string id = registry.submit("copy", "frank", "{}", [&](OperationContext& ctx) {
    for (int i = 1; i <= 3000 && !ctx.cancel_requested(); ++i) {
      ctx.progress({"rows", static_cast<std::uint64_t>(i) * 10, 30000, 0, std::nullopt});
      if (i % 100 == 0) ctx.log("batch " + std::to_string(i));
      ++steps;
    }
    return OperationOutcome{R"({"rows":30000})", std::nullopt};
  });
  std::atomic<bool> stop{false};
  std::atomic<long> reads{0};
  std::atomic<bool> went_back{false};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r)
    readers.emplace_back([&] {
      std::uint64_t last = 0;
      while (!stop) {
        std::optional<OperationRecord> record = registry.get(id);
        if (record) {
          if (record->progress.done < last) went_back = true;
          last = record->progress.done;
          record->to_json();
        }
        registry.list();
        ++reads;
      }
    });
  OperationRecord done = finished(registry, id);
  stop = true;
  for (auto& t : readers) t.join();
  CHECK(done.state == OperationState::completed);
  CHECK(done.progress.done == 30000);
  CHECK_FALSE(went_back);
  CHECK(reads > 0);
}

TEST_CASE("history survives a restart: the same operations, states and results",
          "[operations][history]") {
  const std::string dir = migpkg::test::make_temp_dir();
  const std::string file = dir + "/operations.jsonl";
  std::vector<OperationRecord> before;
  {
    OperationRegistry registry(file);
    std::string ok = registry.submit("install", "gina", R"({"inputs":["a"]})", [](auto& ctx) {
      ctx.log("applied");
      return OperationOutcome{R"({"status":"ok","migrations":[]})", std::nullopt};
    });
    finished(registry, ok);
    std::string bad = registry.submit("rollback", "gina", "{}", [](auto&) {
      return OperationOutcome{R"({"status":"refused"})",
                              OperationProblem{"refused", "plugin x is not installed", 1}};
    });
    finished(registry, bad);
    before = registry.list();
  }
  OperationRegistry again(file);
  std::vector<OperationRecord> after = again.list();
  REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    INFO(i);
    CHECK(after[i].to_json() == before[i].to_json());
  }
  CHECK(after[0].state == OperationState::failed);
  CHECK(after[0].problem->code == "refused");
  CHECK(after[1].state == OperationState::completed);
  CHECK(again.notes().empty());
  // New operations after the restart keep going into the same file.
  std::string more = again.submit("export", "gina", "{}", [](auto&) { return OperationOutcome{}; });
  finished(again, more);
  again.shutdown();
  CHECK(OperationRegistry(file).list().size() == 3);
}

TEST_CASE(
    "history: a truncated last line is ignored with a note; a running operation shows "
    "interrupted",
    "[operations][history]") {
  const std::string dir = migpkg::test::make_temp_dir();
  const std::string file = dir + "/operations.jsonl";
  std::string ok_line, running_line;
  {
    OperationRegistry registry(file);
    std::string id =
        registry.submit("copy", "hank", "{}", [](auto&) { return OperationOutcome{}; });
    ok_line = finished(registry, id).to_json();
  }
  // A process that died while an operation ran: its last line says running, and the line it
  // was writing when it died is cut short.
  OperationRecord was_running;
  was_running.id = "op-00000000000000aa";
  was_running.kind = "install";
  was_running.requested_by = "hank";
  was_running.state = OperationState::running;
  was_running.created_at = "2026-12-06T10:00:00.000Z";
  was_running.started_at = "2026-12-06T10:00:01.000Z";
  std::string cut = was_running.to_json();
  {
    std::ofstream out(file, std::ios::app);
    out << was_running.to_json() << "\n" << cut.substr(0, cut.size() / 2);
  }
  OperationRegistry registry(file);
  std::vector<OperationRecord> listed = registry.list();
  REQUIRE(listed.size() == 2);
  CHECK(listed[1].to_json() == ok_line);
  CHECK(listed[0].id == "op-00000000000000aa");
  CHECK(listed[0].state == OperationState::failed);
  REQUIRE(listed[0].problem);
  CHECK(listed[0].problem->code == "interrupted");
  CHECK_FALSE(listed[0].finished_at.empty());
  check_schema(listed[0]);
  std::vector<std::string> notes = registry.notes();
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].find("incomplete") != std::string::npos);
  CHECK(notes[0].find(file + ":5") == 0);  // 3 lines of the first operation, then 2
  // The restart recorded the interruption: a third registry reads it as failed too, without
  // marking it again.
  registry.shutdown();
  OperationRegistry third(file);
  CHECK(third.get("op-00000000000000aa")->problem->code == "interrupted");
}

TEST_CASE("history: lines that are not records are ignored with a note, not fatal",
          "[operations][history]") {
  const std::string dir = migpkg::test::make_temp_dir();
  const std::string file = dir + "/operations.jsonl";
  migpkg::test::write_file(file, "not json\n{\"id\":\"op-1\",\"state\":\"weird\"}\n[1,2]\n\n" +
                                     std::string(kMaxHistoryLineBytes + 10, 'x') + "\n");
  OperationRegistry registry(file);
  CHECK(registry.list().empty());
  CHECK(registry.notes().size() == 4);
}

TEST_CASE("shutdown cancels running and pending work and refuses new submissions", "[operations]") {
  const std::string dir = migpkg::test::make_temp_dir();
  const std::string file = dir + "/operations.jsonl";
  std::string running, pending;
  {
    OperationRegistry registry(file);
    std::atomic<int> steps{0};
    running = registry.submit("copy", "ivan", "{}", until_cancelled(steps));
    pending = registry.submit("copy", "ivan", "{}", [](auto&) { return OperationOutcome{}; });
    wait_until([&] { return steps > 0; });
    registry.shutdown();
    CHECK(registry.get(running)->state == OperationState::cancelled);
    CHECK(registry.get(pending)->state == OperationState::cancelled);
    CHECK_THROWS_WITH(
        registry.submit("copy", "ivan", "{}", [](auto&) { return OperationOutcome{}; }),
        Catch::Contains("shutting down"));
  }
  OperationRegistry after(file);
  CHECK(after.get(running)->state == OperationState::cancelled);
  CHECK(after.get(pending)->state == OperationState::cancelled);
}
