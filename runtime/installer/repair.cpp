#include "runtime/installer/repair.hpp"

#include <algorithm>
#include <memory>

#include "compiler/planner/plan_json_reader.hpp"
#include "runtime/installer/migration_runner.hpp"
#include "runtime/installer/plan_difference.hpp"
#include "runtime/installer/preflight.hpp"
#include "runtime/installer/run_opening.hpp"

namespace migpkg::runtime {
namespace {

std::string joined(const std::vector<std::string>& words, const std::string& separator = ", ") {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : separator) + w;
  return out;
}

std::string named(const std::string& plugin_id, const std::string& migration_id) {
  return plugin_id + "/" + migration_id;
}

// The package a half-done migration was being installed from, as its last history row says:
// a migration marked applied keeps its provenance.
Provenance last_provenance(Bookkeeping& bk, const std::string& plugin_id,
                           const std::string& migration_id) {
  Provenance found;
  for (const auto& h : bk.history(plugin_id))
    if (h.migration_id == migration_id) found = h.provenance;
  return found;
}

// Why a migration that is not half-done cannot be marked, and what is half-done instead.
std::string not_half_done(const InstalledState& state, const std::string& plugin_id,
                          const std::string& migration_id) {
  std::string why = named(plugin_id, migration_id);
  why += state.applied_migration(plugin_id, migration_id)
             ? " is applied, not half-done: there is nothing to repair (`migpkg rollback " +
                   plugin_id + "` undoes it)"
             : " is not half-done (it has no in-flight record): there is nothing to repair (a "
               "failed migration leaves nothing behind; `migpkg install` runs it again)";
  std::vector<std::string> half_done;
  for (const auto& f : state.inflight)
    half_done.push_back(named(f.plugin_id, f.migration_id) + " (" + f.direction + ")");
  why += half_done.empty() ? "; nothing is half-done in this database"
                           : "; half-done now: " + joined(half_done);
  return why;
}

// The history detail of a mark: what was recorded, and what was cleared.
std::string mark_detail(bool undone, const RepairedMigration& r) {
  std::string steps = r.cleared_steps.empty() ? "none" : joined(r.cleared_steps);
  if (r.direction == "up")
    return undone ? "marked undone by migpkg repair: its in-flight record and journal (steps "
                    "done: " +
                        steps + ") were cleared; the next install runs it from its first step"
                  : "marked applied by migpkg repair: recorded as applied with the plan of its "
                    "in-flight record (steps done: " +
                        steps + "; the others finished by hand)";
  return undone
             ? "marked undone by migpkg repair: its half-done rollback (down steps done: " + steps +
                   ") was recorded as finished; it is no longer applied"
             : "marked applied by migpkg repair: its half-done rollback (down steps done: " +
                   steps + ") was cleared; it stays applied";
}

void mark(Connection& c, Bookkeeping& bk, const InstalledState& state, const RepairRequest& request,
          const RunContext& context, RepairReport& report) {
  const bool undone = request.action == RepairRequest::Action::MarkUndone;
  const InflightMigration* f = state.inflight_migration(request.plugin_id, request.migration_id);
  if (!f) {
    report.status = RunStatus::Refused;
    report.problems.push_back(not_half_done(state, request.plugin_id, request.migration_id));
    return;
  }
  RepairedMigration r;
  r.plugin_id = f->plugin_id;
  r.migration_id = f->migration_id;
  r.version = f->version;
  r.action = undone ? "marked-undone" : "marked-applied";
  r.direction = f->direction;
  std::vector<const JournalEntry*> done;
  for (const auto& j : state.journal)
    if (j.plugin_id == f->plugin_id && j.migration_id == f->migration_id &&
        j.direction == f->direction)
      done.push_back(&j);
  std::sort(done.begin(), done.end(), [](const JournalEntry* a, const JournalEntry* b) {
    return a->step_index < b->step_index;
  });
  for (const auto* j : done) r.cleared_steps.push_back(j->step_id);
  // Read before the transaction: the stored plan must parse, or nothing is written.
  std::optional<plan::Migration> plan;
  if (!undone && f->direction == "up") {
    plan = migration_from_text(f->plan_json);
    plan->checksum = f->checksum;
  }
  const Provenance provenance = last_provenance(bk, f->plugin_id, f->migration_id);
  c.begin();
  try {
    bk.end_inflight(f->plugin_id, f->migration_id);
    if (undone && f->direction == "down") bk.mark_rolled_back(f->plugin_id, f->migration_id);
    if (plan) bk.mark_applied(*plan, context.actor, utc_now(), provenance);
    bk.refresh_plugin(f->plugin_id, std::nullopt);
    bk.record_repair(f->plugin_id, f->migration_id, f->version, f->direction, f->checksum,
                     context.actor, mark_detail(undone, r), provenance);
    c.commit();
  } catch (...) {
    if (c.in_transaction()) c.rollback();
    throw;
  }
  report.migrations.push_back(std::move(r));
}

void update_checksums(Connection& c, Bookkeeping& bk, const InstalledState& state,
                      const RepairRequest& request, const RunContext& context,
                      RepairReport& report) {
  std::vector<const plan::Migration*> changed;
  for (const auto& m : request.plan->migrations) {
    const AppliedMigration* a = state.applied_migration(m.plugin_id, m.id);
    if (!a) {
      const InflightMigration* f = state.inflight_migration(m.plugin_id, m.id);
      if (f && f->checksum != m.checksum)
        report.problems.push_back(
            named(m.plugin_id, m.id) +
            " is half-done with another checksum: settle it first (`migpkg rollback " +
            m.plugin_id + "`, or `migpkg repair " + m.plugin_id + " --mark-undone " + m.id + "`)");
      continue;
    }
    if (a->checksum == m.checksum) continue;
    RepairedMigration r;
    r.plugin_id = m.plugin_id;
    r.migration_id = m.id;
    r.version = m.version;
    r.action = "checksum-updated";
    r.direction = "up";
    r.old_checksum = a->checksum;
    r.new_checksum = m.checksum;
    r.differences = plan_differences(migration_from_text(a->plan_json), m);
    report.migrations.push_back(std::move(r));
    changed.push_back(&m);
  }
  if (!request.confirmed)
    for (auto& r : report.migrations)
      if (!r.differences.empty()) {
        r.action = "would-update-checksum";
        report.problems.push_back(
            named(r.plugin_id, r.migration_id) +
            ": the sources' plan differs from the stored one "
            "in what it runs (" +
            std::to_string(r.differences.size()) +
            " difference(s), listed); if the database already has what the sources describe, "
            "give --yes to record it");
      }
  if (!report.problems.empty()) {
    for (auto& r : report.migrations)
      if (r.action == "checksum-updated") r.action = "would-update-checksum";
    report.status = RunStatus::Refused;
    return;
  }
  c.begin();
  try {
    for (std::size_t i = 0; i < changed.size(); ++i) {
      const plan::Migration& m = *changed[i];
      const RepairedMigration& r = report.migrations[i];
      bk.update_applied_checksum(m.plugin_id, m.id, m.checksum, migration_json_text(m));
      std::string detail =
          "checksum updated by migpkg repair from " + r.old_checksum + "; " +
          (r.differences.empty() ? "the plan runs the same statements"
                                 : "the plan differs in what it runs, accepted with --yes: " +
                                       joined(r.differences, "; "));
      bk.record_repair(m.plugin_id, m.id, m.version, "up", m.checksum, context.actor, detail,
                       state.applied_migration(m.plugin_id, m.id)->provenance);
    }
    c.commit();
  } catch (...) {
    if (c.in_transaction()) c.rollback();
    throw;
  }
}

std::string audit_detail(const RepairReport& report) {
  if (report.status != RunStatus::Ok) return report.problems.front();
  if (report.migrations.empty()) return "nothing to repair";
  std::vector<std::string> done;
  for (const auto& r : report.migrations)
    done.push_back(r.action + " " + named(r.plugin_id, r.migration_id) + " (" + r.direction +
                   (r.cleared_steps.empty() ? "" : "; steps done: " + joined(r.cleared_steps)) +
                   ")");
  return joined(done, "; ");
}

RepairReport run_repair(Connection& c, const DatabaseUrl& url, const RepairRequest& request,
                        const RunContext& context) {
  RepairReport report;
  Bookkeeping bk(c);
  if (!bk.tables_exist()) {
    // Like rollback: nothing to repair, and no tables are created to say so.
    report.status = RunStatus::Refused;
    report.problems.push_back("nothing is installed in this database (no migpkg tables)");
    return report;
  }
  RunReport opening;
  std::unique_ptr<RunLock> lock;
  auto start = lock_and_audit_run(c, url, bk, "repair", context, opening, lock);
  if (!start) {
    report.status = opening.status;
    report.problems = opening.problems;
    return report;
  }
  const InstalledState state = read_installed_state(bk);
  try {
    if (request.action == RepairRequest::Action::UpdateChecksums)
      update_checksums(c, bk, state, request, context, report);
    else
      mark(c, bk, state, request, context, report);
  } catch (const LockTimeout&) {
    throw;
  } catch (const std::exception& e) {
    report.status = RunStatus::Failed;
    report.problems.push_back(e.what());
  }
  bk.audit_finish(start->audit_id,
                  report.status == RunStatus::Ok        ? "ok"
                  : report.status == RunStatus::Refused ? "refused"
                                                        : "failed",
                  audit_detail(report));
  return report;
}

}  // namespace

const char* repair_action_name(RepairRequest::Action action) {
  switch (action) {
    case RepairRequest::Action::MarkUndone:
      return "mark-undone";
    case RepairRequest::Action::MarkApplied:
      return "mark-applied";
    case RepairRequest::Action::UpdateChecksums:
      return "update-checksums";
  }
  return "";
}

RepairReport repair(Connection& c, const DatabaseUrl& url, const RepairRequest& request,
                    const RunContext& context) {
  try {
    return run_repair(c, url, request, context);
  } catch (const LockTimeout& e) {
    RunReport locked = locked_report(c, foreign_writer_message(e));
    RepairReport report;
    report.status = locked.status;
    report.problems = locked.problems;
    return report;
  }
}

}  // namespace migpkg::runtime
