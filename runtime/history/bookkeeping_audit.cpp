// Reading the audit log (migpkg audit). Its rows are written by start_run and audit_finish,
// and by audit_record for what is recorded without a run.
#include "runtime/history/bookkeeping.hpp"

namespace migpkg::runtime {

std::vector<AuditRow> Bookkeeping::audit_log(const std::string& since) {
  static const std::string select =
      "SELECT id, at, actor, command, arguments, outcome, detail FROM migpkg_audit";
  // Times are ISO-8601 text that sorts as it reads; a date alone sorts before its times.
  auto result = since.empty() ? c_.query(select + " ORDER BY id DESC")
                              : c_.query(select + " WHERE at >= $1 ORDER BY id DESC", {since});
  std::vector<AuditRow> out;
  out.reserve(result.rows.size());
  for (const auto& row : result.rows) {
    AuditRow a;
    a.id = row[0] ? std::stoll(*row[0]) : 0;
    a.at = row[1].value_or("");
    a.actor = row[2].value_or("");
    a.command = row[3].value_or("");
    a.arguments = row[4].value_or("");
    a.outcome = row[5].value_or("");
    a.detail = row[6].value_or("");
    out.push_back(std::move(a));
  }
  return out;
}

void Bookkeeping::audit_record(const std::string& actor, const std::string& command,
                               const std::string& arguments, const std::string& outcome,
                               const std::string& detail) {
  c_.execute(
      "INSERT INTO migpkg_audit (at, actor, command, arguments, outcome, detail) VALUES ($1, $2, "
      "$3, $4, $5, $6)",
      {utc_now(), actor, command, arguments, outcome, detail});
}

}  // namespace migpkg::runtime
