#include "compiler/planner/plan_output.hpp"

#include "compiler/dialects/dialect.hpp"

#include <algorithm>
#include <cstring>

#include "compiler/json/json_writer.hpp"
#include "compiler/planner/plan_json_reader.hpp"

namespace migpkg {
namespace {

void write_checks(JsonWriter& out, const std::vector<plan::Check>& checks) {
  out.begin_array();
  for (const auto& c : checks) {
    out.begin_object();
    out.member("origin", c.origin).member("sql", c.sql).member("message", c.message);
    out.member("severity", c.is_error ? "error" : "warning");
    out.end_object();
  }
  out.end_array();
}

void write_location(JsonWriter& out, const SourceLocation& location) {
  out.begin_object();
  out.member("file", location.file.str());
  if (!location.pointer.empty()) out.member("pointer", location.pointer);
  if (location.line > 0) out.member("line", location.line);
  if (location.column > 0) out.member("column", location.column);
  out.end_object();
}

void write_step(JsonWriter& out, const plan::Step& s) {
  out.begin_object();
  out.member("id", s.id).member("name", s.name).member("kind", s.kind);
  out.member("transactional", s.transactional);
  // Optional: written only where it holds, so plans of transactional-DDL dialects read as before.
  if (s.implicit_commit) out.member("implicitCommit", true);
  out.member("skipOnError", s.skip_on_error);
  out.key("timeout");
  s.timeout_seconds ? out.value(*s.timeout_seconds) : out.null();
  out.member("statements", s.statements);
  write_checks(out.key("preChecks"), s.pre_checks);
  write_checks(out.key("postChecks"), s.post_checks);
  out.key("reverse");
  s.reverse ? out.value(*s.reverse) : out.null();
  if (s.transform) {
    out.key("transform").begin_object();
    out.member("sourceTable", s.transform->source_table);
    out.member("targetTable", s.transform->target_table);
    out.member("filter", s.transform->filter);
    out.member("batchSize", s.transform->batch_size);
    out.member("batchedInsert", s.transform->batched_insert);
    out.member("countSource", s.transform->count_source);
    out.end_object();
  }
  if (s.load) {
    out.key("load").begin_object();
    out.member("file", s.load->file).member("sha256", s.load->sha256);
    out.member("table", s.load->table).member("onConflict", s.load->on_conflict);
    out.end_object();
  }
  write_location(out.key("source"), s.source);
  out.end_object();
}

void write_steps(JsonWriter& out, const std::vector<plan::Step>& steps) {
  out.begin_array();
  for (const auto& s : steps) write_step(out, s);
  out.end_array();
}

void write_migration(JsonWriter& out, const plan::Migration& m) {
  out.begin_object();
  out.member("pluginId", m.plugin_id).member("id", m.id).member("version", m.version);
  out.member("name", m.name).member("checksum", m.checksum).member("riskLevel", m.risk_level);
  out.member("requiresBackup", m.requires_backup).member("dependencies", m.dependencies);
  out.member("reversible", m.reversible);
  write_location(out.key("source"), m.source);
  write_steps(out.key("up"), m.up);
  write_steps(out.key("down"), m.down);
  out.end_object();
}

// A comment may not hold a newline, or the rest would run as SQL.
void append_one_line(std::string& out, const std::string& text) {
  std::size_t start = out.size();
  out += text;
  // Texts rarely hold one: look for both with memchr before going byte by byte.
  if (std::memchr(text.data(), '\n', text.size()) == nullptr &&
      std::memchr(text.data(), '\r', text.size()) == nullptr)
    return;
  for (std::size_t i = start; i < out.size(); ++i)
    if (out[i] == '\n' || out[i] == '\r') out[i] = ' ';
}

// Whether the statement's last line holds "--", which would swallow a ';' written after it.
// (Looked for forward first, as few statements hold one at all.)
bool ends_in_comment(const std::string& statement) {
  std::size_t dashes = statement.find("--");
  if (dashes == std::string::npos) return false;
  std::size_t last_line = statement.rfind('\n');
  return statement.find("--", last_line == std::string::npos ? dashes : last_line) !=
         std::string::npos;
}

// About what the SQL of one direction takes (the statements, a few comment lines per step and
// migration), so that the text is allocated once instead of growing and being copied again.
std::size_t estimated_sql_size(const plan::Plan& plan, PlanDirection direction) {
  std::size_t size = 256;
  for (const auto& m : plan.migrations) {
    size += 256 + m.name.size();
    for (const auto& s : direction == PlanDirection::Up ? m.up : m.down) {
      size += 128 + s.id.size() + s.name.size();
      for (const auto& statement : s.statements) size += statement.size() + 4;
    }
  }
  return size;
}

// About what a plan's JSON text takes, a little more rather than less, so that the text (a
// hundred MB for 10,000 migrations) is allocated once instead of growing and being copied
// again: every doubling of a block that big also faults in fresh pages. `indent` < 0: compact.
std::size_t estimated_json_size(const plan::Plan& plan, int indent) {
  std::size_t per_member = indent < 0 ? 4 : 8 + 6 * static_cast<std::size_t>(indent);
  auto texts = [](const std::vector<std::string>& list) {
    std::size_t size = 0;  // escaping: quotes around identifiers and \n, about a tenth more
    for (const auto& text : list) size += text.size() + text.size() / 10 + 12;
    return size;
  };
  std::size_t size = 256;
  for (const auto& m : plan.migrations) {
    size += 16 * per_member + 128 + m.name.size() + m.id.size() + m.plugin_id.size() +
            m.source.file.str().size() + m.source.pointer.size() + texts(m.dependencies);
    for (const auto* steps : {&m.up, &m.down})
      for (const auto& s : *steps) {
        size += 16 * per_member + 112 + s.id.size() + s.name.size() + s.source.file.str().size() +
                s.source.pointer.size() + texts(s.statements) + (s.reverse ? texts(*s.reverse) : 0);
        for (const auto* checks : {&s.pre_checks, &s.post_checks})
          for (const auto& c : *checks)
            size += 6 * per_member + 64 + 2 * (c.sql.size() + c.message.size());
      }
  }
  return size + size / 32;  // a margin: a plan of rebuilds comes close to the estimate
}

void write_checks(std::string& out, const std::vector<plan::Check>& checks, const char* when) {
  for (const auto& c : checks) {
    out += "-- ";
    out += when;
    out += " check (";
    out += c.origin;
    out += c.is_error ? ", error): " : ", warning): ";
    append_one_line(out, c.sql);
    out += '\n';
  }
}

void write_step(std::string& out, const plan::Step& s, const char* direction) {
  out += "-- step ";
  out += s.id;
  out += " (";
  out += direction;
  out += s.kind == "transform" ? ", transform): " : s.kind == "load" ? ", load): " : "): ";
  append_one_line(out, s.name);
  out += '\n';
  // Not SQL: the runtime writes the file's rows through the engine.
  if (s.load) {
    out += "-- load ";
    append_one_line(out, s.load->file);
    out += " (sha256 " + s.load->sha256 + ") into ";
    append_one_line(out, s.load->table);
    out += ", on conflict " + s.load->on_conflict + '\n';
  }
  if (s.skip_on_error) out += "-- skipOnError: a failure of this step is recorded and skipped\n";
  write_checks(out, s.pre_checks, "pre");
  for (const auto& statement : s.statements) {
    out += statement;
    out += ends_in_comment(statement) ? "\n;\n" : ";\n";
  }
  write_checks(out, s.post_checks, "post");
}

// The room a text written a migration at a time is given ahead, so that a text of a hundred MB
// is neither copied as it grows nor given much more than it takes (JSON text is zero-filled
// ahead, and every page filled is a page fault): once a few dozen migrations are in, the size
// their average projects for all of them, and a sixteenth more; again, early, whenever that is
// past the room there is, or an eighth more when the room runs out all the same (migrations
// that keep getting bigger). Before that, and for short plans, texts grow as strings do.
std::size_t room_for(std::size_t size, std::size_t capacity, std::size_t largest, std::size_t added,
                     std::size_t expected) {
  constexpr std::size_t kSample = 32;  // the first migrations are often unlike the rest
  if (added < kSample || added >= expected) return capacity;
  std::size_t projected = size + size / added * (expected - added) + 2 * largest;
  if (projected <= capacity) return capacity;
  return std::max(projected + projected / 16, capacity + capacity / 8);
}
}  // namespace

PlanJsonWriter::PlanJsonWriter(std::string_view dialect, std::string_view migpkg_version,
                               int indent, std::size_t expected_migrations)
    : out_(indent), expected_(expected_migrations) {
  out_.begin_object();
  out_.member("format", kPlanFormat).member("dialect", dialect);
  out_.member("migpkgVersion", migpkg_version);
  out_.key("migrations").begin_array();
}

void PlanJsonWriter::add(const plan::Migration& m) {
  std::size_t before = out_.text().size();
  write_migration(out_, m);
  std::size_t size = out_.text().size();
  largest_ = std::max(largest_, size - before);
  ++added_;
  out_.reserve_total(room_for(size, out_.capacity(), largest_, added_, expected_));
}

std::string PlanJsonWriter::finish() {
  out_.end_array();
  out_.end_object();
  return out_.take();
}

PlanSqlWriter::PlanSqlWriter(std::string_view dialect, std::string_view migpkg_version,
                             PlanDirection direction, std::size_t expected_migrations)
    : dialect_(dialect),
      migpkg_version_(migpkg_version),
      direction_(direction),
      expected_(expected_migrations) {
  const Dialect* known = find_dialect(dialect_);
  begin_ = known ? known->spec().begin_transaction : "BEGIN";
  if (direction_ == PlanDirection::Up) out_ = header(expected_);
}

std::string PlanSqlWriter::header(std::size_t migrations) const {
  return "-- migpkg " + migpkg_version_ + " plan for " + dialect_ + " (" +
         (direction_ == PlanDirection::Up ? "up" : "down") + "): " + std::to_string(migrations) +
         " migration" + (migrations == 1 ? "" : "s") + "\n";
}

void PlanSqlWriter::add(const plan::Migration& m) {
  std::size_t before = out_.size();
  bool up = direction_ == PlanDirection::Up;
  const char* dir = up ? "up" : "down";
  const auto& steps = up ? m.up : m.down;
  out_ += "\n-- migration ";
  out_ += m.plugin_id;
  out_ += '/';
  out_ += m.id;
  out_ += ' ';
  out_ += m.version;
  out_ += ": ";
  append_one_line(out_, m.name);
  out_ += "\n-- checksum ";
  out_ += m.checksum;
  out_ += '\n';
  if (steps.empty()) {
    out_ += std::string("-- (no ") + dir + " steps)\n";
  } else {
    bool open = false;
    for (const auto& s : steps) {
      if (s.transactional && !open) {
        if (!begin_.empty()) out_ += begin_ + ";\n";
        open = true;
      } else if (!s.transactional && open) {
        out_ += "COMMIT;\n";
        open = false;
      }
      if (s.implicit_commit)
        out_ += "-- implicit commit: " + dialect_ +
                " commits this DDL at once, outside a transaction (no rollback)\n";
      else if (!s.transactional)
        out_ += "-- non-transactional: runs outside a transaction\n";
      write_step(out_, s, dir);
    }
    if (open) out_ += "COMMIT;\n";
  }
  if (!up) ends_.push_back(out_.size());
  largest_ = std::max(largest_, out_.size() - before);
  ++added_;
  std::size_t room = room_for(out_.size(), out_.capacity(), largest_, added_, expected_);
  if (room > out_.capacity()) reserve_large_text(out_, room);
}

std::string PlanSqlWriter::finish() {
  std::string first = header(added_);
  if (direction_ == PlanDirection::Up) {
    // The header was written for the count expected; rarely (a dialect that left migrations
    // out) it has to say another.
    if (added_ != expected_) out_.replace(0, header(expected_).size(), first);
    return std::move(out_);
  }
  // Down: the migrations in reverse order (a full rollback), each as it was written.
  std::string text;
  text.reserve(first.size() + out_.size());
  text += first;
  for (std::size_t k = ends_.size(); k-- > 0;) {
    std::size_t begin = k == 0 ? 0 : ends_[k - 1];
    text.append(out_, begin, ends_[k] - begin);
  }
  out_ = std::string();
  return text;
}

void PlanSqlWriter::reserve(std::size_t bytes) {
  out_.reserve(bytes);
}

std::string migration_json_text(const plan::Migration& m) {
  JsonWriter out;
  write_migration(out, m);
  return out.take();
}

nlohmann::ordered_json migration_to_json(const plan::Migration& m) {
  return nlohmann::ordered_json::parse(migration_json_text(m));
}

std::string plan_json_text(const plan::Plan& plan, int indent) {
  PlanJsonWriter out(plan.dialect, plan.migpkg_version, indent, plan.migrations.size());
  out.reserve(estimated_json_size(plan, indent));
  for (const auto& m : plan.migrations) out.add(m);
  return out.finish();
}

nlohmann::ordered_json plan_to_json(const plan::Plan& plan) {
  return nlohmann::ordered_json::parse(plan_json_text(plan, -1));
}

std::string plan_to_sql(const plan::Plan& plan, PlanDirection direction) {
  PlanSqlWriter out(plan.dialect, plan.migpkg_version, direction, plan.migrations.size());
  out.reserve(estimated_sql_size(plan, direction));
  for (const auto& m : plan.migrations) out.add(m);
  return out.finish();
}

}  // namespace migpkg
