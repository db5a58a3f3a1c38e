// A destructive migration with no backup (L501), declarative part: install's own rule
// (runtime/installer/backup_rules.hpp, destroyed_by) says what a migration destroys; the
// author's waiver (`no backup`, "waiveBackup") then leaves it without a backup. Raw SQL, which
// that rule does not read, is scanned in plan_rules.cpp.
#include "compiler/lint/lint_context.hpp"
#include "runtime/installer/backup_rules.hpp"

namespace migpkg::lint {

void check_backup(const ir::Migration& m, const MigrationScope& scope,
                  const std::map<const ir::SchemaChange*, ir::ColumnType>& previous_types,
                  Sink& sink) {
  bool required = m.requires_backup || m.risk_level == ir::RiskLevel::High ||
                  m.risk_level == ir::RiskLevel::Critical;
  if (!m.waive_backup || required) return;
  runtime::PreviousTypes previous(previous_types.begin(), previous_types.end());
  for (const auto& step : m.up) {
    std::string destroyed = runtime::destroyed_by(step, previous);
    // A table the migration creates holds nothing a backup would keep.
    if (destroyed.empty() || !scope.holds_rows(step.change->table)) continue;
    sink.add("L501", "", m, step, false, change_location(step),
             destroyed + (m.location.is_dsl() ? ", and `no backup`" : ", and \"waiveBackup\"") +
                 " leaves install without a backup to restore it from");
  }
}

}  // namespace migpkg::lint
