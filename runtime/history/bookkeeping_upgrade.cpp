// Upgrading the bookkeeping tables of a database an older migpkg made, in place, the first time
// a run that writes holds the run lock (ensure_tables). Each version's additions are columns
// appended to existing tables, so every row stays as it was and the new columns are NULL in it.
//
// SQLite and PostgreSQL run the ALTERs and the new version number in one transaction: all or
// nothing. MySQL commits each ALTER by itself, so there the upgrade is idempotent instead: a
// column is added only when the table lacks it, and the version number is written last, so a
// run killed half-way leaves version 1 with some columns added, and the next run adds the rest.
// Until the version says 2, readers do not look at the new columns (records_provenance).
#include "runtime/engines/engine_registry.hpp"
#include "runtime/history/bookkeeping.hpp"

namespace migpkg::runtime {
namespace {

struct AddedColumn {
  int version;  // the bookkeeping version that added it
  const char* table;
  const char* column;
};

// In the order the current DDL (bookkeeping.cpp) has them, after the columns before them, so an
// upgraded table has the same columns in the same order as a new one. All nullable text.
constexpr AddedColumn kAddedColumns[] = {
    {2, "migpkg_applied", "package_sha256"},
    {2, "migpkg_applied", "signing_key"},
    {2, "migpkg_history", "package_sha256"},
    {2, "migpkg_history", "signing_key"},
};

bool has_column(Connection& c, const std::string& table, const std::string& column) {
  // No rows, only the column names: the same on every engine, and nothing to lock.
  for (const std::string& name : c.query("SELECT * FROM " + table + " WHERE 1 = 0").columns)
    if (name == column) return true;
  return false;
}

}  // namespace

void Bookkeeping::upgrade_tables(int from) {
  const std::string& text = engine_of(c_).spellings().long_text;
  // Inside the caller's transaction when there is one (start_run), else in one of its own.
  const bool own_transaction = !c_.in_transaction();
  if (own_transaction) c_.begin();
  try {
    for (const AddedColumn& added : kAddedColumns)
      if (added.version > from && !has_column(c_, added.table, added.column))
        c_.execute(std::string("ALTER TABLE ") + added.table + " ADD COLUMN " + added.column + " " +
                   text);
    // Last: on MySQL the version says the upgrade is done only once every column is there.
    const std::string version = std::to_string(kBookkeepingVersion);
    if (c_.query("SELECT value FROM migpkg_meta WHERE \"key\" = 'bookkeeping_version'")
            .rows.empty())
      c_.execute("INSERT INTO migpkg_meta (\"key\", value) VALUES ('bookkeeping_version', $1)",
                 {version});
    else
      c_.execute("UPDATE migpkg_meta SET value = $1 WHERE \"key\" = 'bookkeeping_version'",
                 {version});
    if (own_transaction) c_.commit();
  } catch (...) {
    if (own_transaction && c_.in_transaction()) c_.rollback();
    version_.reset();  // read again: the transaction that wrote it may be gone
    throw;
  }
  version_ = kBookkeepingVersion;
}

}  // namespace migpkg::runtime
