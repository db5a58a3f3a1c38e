#include "compiler/lint/raw_sql_scan.hpp"

#include <cctype>
#include <map>
#include <regex>

#include "runtime/history/object_owners.hpp"

namespace migpkg::lint {
namespace {

using runtime::normalized_object_name;
using runtime::sql_name_pattern;

const std::regex& pattern(const std::string& text) {
  // Each pattern is built once; the map keeps them alive for the process.
  static thread_local std::map<std::string, std::regex> built;
  auto found = built.find(text);
  if (found == built.end())
    found = built.emplace(text, std::regex(text, std::regex::icase | std::regex::optimize)).first;
  return found->second;
}

std::string name() {
  return "(" + sql_name_pattern() + ")";
}

std::string alter_table() {
  return R"(^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?)" + name();
}

}  // namespace

RawStatement scan_statement(const std::string& statement) {
  using K = RawStatement::Kind;
  RawStatement out;
  std::string head = runtime::statement_head(statement);
  std::smatch m;
  if (std::regex_search(
          head, m,
          pattern(
              R"(^CREATE\s+(?:(?:GLOBAL\s+|LOCAL\s+)?TEMP(?:ORARY)?\s+|VIRTUAL\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?)" +
              name()))) {
    out.kind = K::CreateTable;
    out.table = normalized_object_name(m[1]);
  } else if (std::regex_search(head, m,
                               pattern(R"(^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?)" + name()))) {
    out.kind = K::DropTable;
    out.table = normalized_object_name(m[1]);
  } else if (std::regex_search(head, m,
                               pattern(R"(^TRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?)" + name()))) {
    out.kind = K::Truncate;
    out.table = normalized_object_name(m[1]);
  } else if (
      std::regex_search(
          head, m,
          pattern(
              R"(^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:)" +
              sql_name_pattern() + R"(\s+)?ON\s+(?:ONLY\s+)?)" + name()))) {
    out.kind = K::CreateIndex;
    out.concurrently = m[1].matched;
    out.table = normalized_object_name(m[2]);
  } else if (
      std::regex_search(
          head, m,
          pattern(
              alter_table() +
              R"(\s+DROP\s+(?:COLUMN\s+)?(?!CONSTRAINT\b|PRIMARY\b|FOREIGN\b|INDEX\b|KEY\b|CHECK\b|DEFAULT\b)(?:IF\s+EXISTS\s+)?)" +
              name()))) {
    out.kind = K::DropColumn;
    out.table = normalized_object_name(m[1]);
    out.column = normalized_object_name(m[2]);
  } else if (std::regex_search(head, m,
                               pattern(alter_table() + R"(\s+ADD\s+(?:CONSTRAINT\s+)?)" + R"((?:)" +
                                       sql_name_pattern() + R"(\s+)?(FOREIGN\s+KEY|CHECK)\b)"))) {
    bool foreign = std::toupper(static_cast<unsigned char>(m[2].str()[0])) == 'F';
    out.kind = foreign ? K::AddForeignKey : K::AddCheck;
    out.table = normalized_object_name(m[1]);
    out.not_valid = std::regex_search(statement, pattern(R"(\bNOT\s+VALID\b)"));
  }
  return out;
}

std::vector<std::string> tables_created_by(const std::string& script) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < script.size()) {
    std::size_t end = script.find(';', start);
    if (end == std::string::npos) end = script.size();
    RawStatement statement = scan_statement(script.substr(start, end - start));
    if (statement.kind == RawStatement::Kind::CreateTable) out.push_back(statement.table);
    start = end + 1;
  }
  return out;
}

}  // namespace migpkg::lint
