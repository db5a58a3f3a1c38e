// A killed export leaves its hidden staging directory (`.OUT.partial-XXXXXX`) beside OUT; the
// next export to the same OUT removes it, but never the staging directory of an export that is
// still running (runtime/data/staging_lock.hpp). The kill is a real SIGKILL of a child process
// in the middle of writing a table.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "runtime/data/dataset.hpp"
#include "test_support.hpp"

using namespace migpkg::test;
using namespace migpkg::data;

namespace {

DataTable numbers_table() {
  DataTable table;
  table.name = "numbers";
  DataColumn id;
  id.name = "id";
  id.type.kind = migpkg::ir::ColumnType::Kind::Int64;
  id.nullable = false;
  table.columns.push_back(id);
  table.primary_key = {"id"};
  return table;
}

std::vector<Row> numbers(int from, int count) {
  std::vector<Row> rows;
  for (int i = from; i < from + count; ++i) rows.push_back({std::to_string(i)});
  return rows;
}

std::vector<std::string> partials(const std::string& parent, const std::string& base) {
  std::vector<std::string> out;
  for (const std::string& name : list_dir(parent))
    if (name.rfind("." + base + ".partial-", 0) == 0) out.push_back(name);
  return out;
}

// Forks a child that starts an export to `out`, writes rows (flushed to the staging file) and
// is SIGKILLed before it finishes.
void killed_export(const std::string& out) {
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto writer = DatasetWriter::create(out, FileFormat::Ndjson, Compression::None);
    writer->begin_table(numbers_table());
    for (int batch = 0; batch < 30; ++batch) writer->write_rows(numbers(batch * 10000, 10000));
    ::kill(::getpid(), SIGKILL);
    ::_exit(0);  // not reached
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);
}

void complete_export(const std::string& out) {
  auto writer = DatasetWriter::create(out, FileFormat::Ndjson, Compression::None);
  writer->begin_table(numbers_table());
  writer->write_rows(numbers(1, 3));
  writer->end_table();
  DatasetManifest manifest;
  manifest.source_engine = "sqlite";
  writer->finish(manifest);
}

}  // namespace

TEST_CASE("a SIGKILLed export's staging directory is removed by the next export to the same OUT",
          "[data][export][leftovers]") {
  for (const std::string base : {"out", "out.migdata"}) {
    INFO(base);
    const std::string parent = make_temp_dir();
    const std::string out = parent + "/" + base;
    killed_export(out);
    const std::vector<std::string> first = partials(parent, base);
    REQUIRE(first.size() == 1);           // what the kill left
    CHECK(list_dir(parent).size() == 1);  // and no OUT
    // The next export to OUT, killed too, removed it and left its own.
    killed_export(out);
    const std::vector<std::string> second = partials(parent, base);
    REQUIRE(second.size() == 1);
    CHECK(second != first);

    // An export to another OUT in the same directory leaves it: it is not its own.
    complete_export(parent + "/other");
    CHECK(partials(parent, base) == second);

    complete_export(out);
    CHECK(partials(parent, base).empty());
    CHECK(DatasetReader::open(out)->manifest().tables.at(0).rows == 3);
  }
}

TEST_CASE("an export does not remove the staging directory of one still running",
          "[data][export][leftovers]") {
  const std::string parent = make_temp_dir();
  const std::string out = parent + "/out";
  auto running = DatasetWriter::create(out, FileFormat::Ndjson, Compression::None);
  running->begin_table(numbers_table());
  running->write_rows(numbers(1, 5));
  REQUIRE(partials(parent, "out").size() == 1);
  {
    // A second export to the same OUT starts (and is abandoned): the first one's files stay.
    auto second = DatasetWriter::create(out, FileFormat::Ndjson, Compression::None);
    CHECK(partials(parent, "out").size() == 2);
  }
  CHECK(partials(parent, "out").size() == 1);
  running->end_table();
  DatasetManifest manifest;
  manifest.source_engine = "sqlite";
  running->finish(manifest);
  CHECK(partials(parent, "out").empty());
  CHECK(DatasetReader::open(out)->manifest().tables.at(0).rows == 5);
}
