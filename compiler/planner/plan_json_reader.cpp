#include "compiler/planner/plan_json_reader.hpp"

#include "compiler/json/json_reader.hpp"

namespace migpkg {
namespace {

// The members an object of a stored plan may have, the first `required` of which it must have:
// a stored plan that lost one is corrupt, and guessing a default (say, transactional) could run
// a step the wrong way. index() names a member by its position in the list (members this
// version does not know get N and are skipped, so a newer writer may add some).
template <std::size_t N>
class Members {
 public:
  Members(const std::string_view (&names)[N], std::size_t required)
      : names_(names), required_(required) {}
  std::size_t index(std::string_view key) {
    for (std::size_t i = 0; i < N; ++i)
      if (key == names_[i]) {
        seen_ |= 1u << i;
        return i;
      }
    return N;
  }
  void check() const {
    for (std::size_t i = 0; i < required_; ++i)
      if (!(seen_ & (1u << i)))
        throw PlanFormatError("stored plan lacks \"" + std::string(names_[i]) + "\"");
  }

 private:
  const std::string_view* names_;
  std::size_t required_;
  unsigned seen_ = 0;
};

void expect_kind(JsonReader& in, JsonReader::Kind kind, const std::string& key, const char* what) {
  if (in.peek() != kind) throw PlanFormatError("stored plan: \"" + key + "\" is not " + what);
}

std::string text(JsonReader& in, const std::string& key) {
  expect_kind(in, JsonReader::Kind::String, key, "a string");
  return in.string();
}

bool flag(JsonReader& in, const std::string& key) {
  expect_kind(in, JsonReader::Kind::Boolean, key, "a boolean");
  return in.boolean();
}

std::int64_t number(JsonReader& in, const std::string& key) {
  expect_kind(in, JsonReader::Kind::Number, key, "an integer");
  return in.integer();
}

std::vector<std::string> texts(JsonReader& in, const std::string& key) {
  expect_kind(in, JsonReader::Kind::Array, key, "an array");
  std::vector<std::string> out;
  in.begin_array();
  while (in.next_element()) {
    if (in.peek() != JsonReader::Kind::String)
      throw PlanFormatError("stored plan: \"" + key + "\" holds a non-string");
    out.push_back(in.string());
  }
  return out;
}

SourceLocation location(JsonReader& in) {
  SourceLocation out;
  if (in.peek() != JsonReader::Kind::Object) {
    in.skip();
    return out;
  }
  in.begin_object();
  std::string key;
  while (in.next_member(key)) {
    if (key == "file")
      out.file = text(in, key);
    else if (key == "pointer")
      out.pointer = text(in, key);
    else if (key == "line")
      out.line = static_cast<int>(number(in, key));
    else if (key == "column")
      out.column = static_cast<int>(number(in, key));
    else
      in.skip();
  }
  return out;
}

std::vector<plan::Check> checks(JsonReader& in, const std::string& key) {
  static constexpr std::string_view kNames[] = {"sql", "message", "severity", "origin"};
  expect_kind(in, JsonReader::Kind::Array, key, "an array");
  std::vector<plan::Check> out;
  in.begin_array();
  std::string member;
  while (in.next_element()) {
    expect_kind(in, JsonReader::Kind::Object, key, "an array of objects");
    plan::Check c;
    Members members(kNames, 4);
    in.begin_object();
    while (in.next_member(member)) {
      switch (members.index(member)) {
        case 0:
          c.sql = text(in, member);
          break;
        case 1:
          c.message = text(in, member);
          break;
        case 2:
          c.is_error = text(in, member) == "error";
          break;
        case 3:
          c.origin = text(in, member);
          break;
        default:
          in.skip();
      }
    }
    members.check();
    out.push_back(std::move(c));
  }
  return out;
}

plan::TransformInfo transform(JsonReader& in) {
  static constexpr std::string_view kNames[] = {"sourceTable", "targetTable",   "filter",
                                                "batchSize",   "batchedInsert", "countSource"};
  expect_kind(in, JsonReader::Kind::Object, "transform", "an object");
  plan::TransformInfo info;
  Members members(kNames, 6);
  in.begin_object();
  std::string key;
  while (in.next_member(key)) {
    switch (members.index(key)) {
      case 0:
        info.source_table = text(in, key);
        break;
      case 1:
        info.target_table = text(in, key);
        break;
      case 2:
        info.filter = text(in, key);
        break;
      case 3:
        info.batch_size = number(in, key);
        break;
      case 4:
        info.batched_insert = text(in, key);
        break;
      case 5:
        info.count_source = text(in, key);
        break;
      default:
        in.skip();
    }
  }
  members.check();
  return info;
}

plan::LoadInfo load(JsonReader& in) {
  static constexpr std::string_view kNames[] = {"file", "sha256", "table", "onConflict"};
  expect_kind(in, JsonReader::Kind::Object, "load", "an object");
  plan::LoadInfo info;
  Members members(kNames, 4);
  in.begin_object();
  std::string key;
  while (in.next_member(key)) {
    switch (members.index(key)) {
      case 0:
        info.file = text(in, key);
        break;
      case 1:
        info.sha256 = text(in, key);
        break;
      case 2:
        info.table = text(in, key);
        break;
      case 3:
        info.on_conflict = text(in, key);
        break;
      default:
        in.skip();
    }
  }
  members.check();
  return info;
}

plan::Step step(JsonReader& in) {
  enum {
    kId,
    kName,
    kKind,
    kTransactional,
    kSkipOnError,
    kTimeout,
    kStatements,
    kPreChecks,
    kPostChecks,
    kReverse,
    kTransform,
    kSource,
    kImplicitCommit,
    kLoad
  };
  static constexpr std::string_view kNames[] = {
      "id",        "name",       "kind",           "transactional", "skipOnError",
      "timeout",   "statements", "preChecks",      "postChecks",    "reverse",
      "transform", "source",     "implicitCommit", "load"};
  expect_kind(in, JsonReader::Kind::Object, "steps", "an array of objects");
  plan::Step out;
  Members members(kNames, kReverse + 1);
  in.begin_object();
  std::string key;
  while (in.next_member(key)) {
    switch (members.index(key)) {
      case kId:
        out.id = text(in, key);
        break;
      case kName:
        out.name = text(in, key);
        break;
      case kKind:
        out.kind = text(in, key);
        break;
      case kTransactional:
        out.transactional = flag(in, key);
        break;
      case kSkipOnError:
        out.skip_on_error = flag(in, key);
        break;
      case kTimeout:
        if (in.peek() == JsonReader::Kind::Number)
          out.timeout_seconds = in.integer();
        else
          in.skip();
        break;
      case kStatements:
        out.statements = texts(in, key);
        break;
      case kPreChecks:
        out.pre_checks = checks(in, key);
        break;
      case kPostChecks:
        out.post_checks = checks(in, key);
        break;
      case kReverse:
        if (!in.null_if_next()) out.reverse = texts(in, key);
        break;
      case kTransform:
        out.transform = transform(in);
        break;
      case kSource:
        out.source = location(in);
        break;
      case kImplicitCommit:  // optional: written only when true
        out.implicit_commit = flag(in, key);
        break;
      case kLoad:  // optional: load steps only
        out.load = load(in);
        break;
      default:
        in.skip();
    }
  }
  members.check();
  return out;
}

std::vector<plan::Step> steps(JsonReader& in, const std::string& key) {
  expect_kind(in, JsonReader::Kind::Array, key, "an array");
  std::vector<plan::Step> out;
  in.begin_array();
  while (in.next_element()) out.push_back(step(in));
  return out;
}

plan::Migration migration(JsonReader& in) {
  enum {
    kPluginId,
    kId,
    kVersion,
    kName,
    kChecksum,
    kRiskLevel,
    kRequiresBackup,
    kDependencies,
    kReversible,
    kUp,
    kDown,
    kSource
  };
  static constexpr std::string_view kNames[] = {
      "pluginId",       "id",           "version",    "name", "checksum", "riskLevel",
      "requiresBackup", "dependencies", "reversible", "up",   "down",     "source"};
  if (in.peek() != JsonReader::Kind::Object) throw PlanFormatError("stored plan is not an object");
  plan::Migration out;
  Members members(kNames, kDown + 1);
  in.begin_object();
  std::string key;
  while (in.next_member(key)) {
    switch (members.index(key)) {
      case kPluginId:
        out.plugin_id = text(in, key);
        break;
      case kId:
        out.id = text(in, key);
        break;
      case kVersion:
        out.version = text(in, key);
        break;
      case kName:
        out.name = text(in, key);
        break;
      case kChecksum:
        out.checksum = text(in, key);
        break;
      case kRiskLevel:
        out.risk_level = text(in, key);
        break;
      case kRequiresBackup:
        out.requires_backup = flag(in, key);
        break;
      case kDependencies:
        out.dependencies = texts(in, key);
        break;
      case kReversible:
        out.reversible = flag(in, key);
        break;
      case kUp:
        out.up = steps(in, key);
        break;
      case kDown:
        out.down = steps(in, key);
        break;
      case kSource:
        out.source = location(in);
        break;
      default:
        in.skip();
    }
  }
  members.check();
  in.end();
  return out;
}

}  // namespace

plan::Migration migration_from_text(std::string_view text) {
  JsonReader in(text);
  try {
    return migration(in);
  } catch (const JsonReadError& e) {
    throw PlanFormatError(std::string("stored plan: ") + e.what());
  }
}

}  // namespace migpkg
