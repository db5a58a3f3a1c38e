// The compile benchmark's driver (bench/compile.sh): loads the sources (front end: text to IR),
// replays their schema changes (automatic downs included), validates, plans them for every
// registered dialect (stream_plans) and writes each dialect's outputs (the JSON plan and the
// readable up SQL), in one process, as `migpkg pack` does, on as many threads as migpkg would use
// (MIGPKG_JOBS, else one per processor). Prints one line per phase: "<phase> <seconds>
// <detail>" (plan+output covers planning and writing every dialect; output:<dialect> lines say
// how long writing each took within it). With --front-end-only it stops after loading. Exit 1
// when the sources do not load or a dialect cannot compile them (the first diagnostics are
// printed).
#include <chrono>
#include <iostream>
#include <memory>

#include "compiler/diagnostics/render.hpp"
#include "compiler/dialects/dialect.hpp"
#include "compiler/planner/planner.hpp"
#include "compiler/schema/replay.hpp"
#include "compiler/sources.hpp"
#include "compiler/util/parallel.hpp"
#include "compiler/util/process_memory.hpp"
#include "compiler/validate/validator.hpp"
#include "runtime/package/plan_files.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool report(const migpkg::Diagnostics& diagnostics) {
  if (!diagnostics.has_errors()) return true;
  int shown = 0;
  for (const auto& d : diagnostics.items())
    if (shown++ < 5) std::cerr << migpkg::render_diagnostic(d);
  std::cerr << diagnostics.error_count() << " errors\n";
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  // As the migpkg command does (cli/main.cpp).
  migpkg::keep_freed_memory_for_reuse();
  migpkg::release_results_at_exit();
  std::vector<std::string> sources;
  bool front_end_only = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--front-end-only")
      front_end_only = true;
    else
      sources.push_back(argv[i]);
  }
  if (sources.empty()) {
    std::cerr << "usage: migpkg_compile_bench [--front-end-only] SRC...\n";
    return 2;
  }
  auto total = std::chrono::steady_clock::now();
  auto start = total;
  migpkg::Diagnostics diagnostics;
  migpkg::ir::Program program = migpkg::load_sources(sources, diagnostics);
  std::size_t migrations = 0;
  for (const auto& plugin : program.plugins) migrations += plugin.migrations.size();
  std::cout << "front-end " << seconds_since(start) << " " << migrations << " migrations\n";
  if (!report(diagnostics)) return 1;
  if (front_end_only) return 0;
  start = std::chrono::steady_clock::now();
  migpkg::schema::prepare_schema_changes(program, diagnostics);
  std::cout << "replay+automatic-down " << seconds_since(start) << "\n";
  start = std::chrono::steady_clock::now();
  migpkg::validate_program(program, diagnostics, nullptr);
  std::cout << "validate " << seconds_since(start) << "\n";
  if (!report(diagnostics)) return 1;
  // Every registered dialect planned and written out as `migpkg pack` writes it into a package
  // (the JSON plan, indented, and the readable up SQL), a migration at a time on the planner's
  // threads (stream_plans). Writing is timed apart within planning.
  std::vector<const migpkg::Dialect*> dialects;
  for (const auto& name : migpkg::dialect_names()) dialects.push_back(migpkg::find_dialect(name));
  struct Output {
    Output(const std::string& dialect, std::size_t expected)
        : name(dialect), writer(dialect, expected) {}
    std::string name;
    migpkg::package::PlanFilesWriter writer;  // what `pack` writes
    std::size_t bytes = 0, count = 0;
    double writing = 0;
    bool failed = false;
  };
  std::vector<std::unique_ptr<Output>> outputs;
  for (const auto* d : dialects) outputs.push_back(std::make_unique<Output>(d->name(), migrations));
  migpkg::PlanStream stream;
  stream.migration = [&](std::size_t i, migpkg::plan::Migration&& m) {
    auto began = std::chrono::steady_clock::now();
    outputs[i]->writer.add(m);
    ++outputs[i]->count;
    outputs[i]->writing += seconds_since(began);
  };
  stream.done = [&](std::size_t i, migpkg::Diagnostics&& planned) {
    Output& out = *outputs[i];
    if (!report(planned)) {
      out.failed = true;
      return;
    }
    auto began = std::chrono::steady_clock::now();
    auto files = out.writer.finish();
    out.bytes = files.json.size() + files.sql.size();
    out.writing += seconds_since(began);
  };
  start = std::chrono::steady_clock::now();
  migpkg::stream_plans(program, dialects, stream);
  std::cout << "plan+output " << seconds_since(start) << " " << dialects.size() << " dialects, "
            << migpkg::worker_count(dialects.size()) << " threads\n";
  std::size_t bytes = 0;
  for (const auto& out : outputs) {
    if (out->failed) return 1;
    bytes += out->bytes;
    std::cout << "output:" << out->name << " " << out->writing << " " << out->count
              << " migrations\n";
  }
  std::cout << "total " << seconds_since(total) << " " << dialects.size() << " dialects, " << bytes
            << " bytes of plans\n";
  migpkg::release(std::move(program));  // as `migpkg pack` leaves it to the exit
  return 0;
}
