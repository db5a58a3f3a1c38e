// SQL Server 2017+: [bracket] identifiers, N'...' Unicode strings, BIT for booleans, defaults
// as generated-name constraints (found by column when changed), sp_rename for renames,
// extended properties for comments. Golden-only: no engine runs in the test suite.
#include "compiler/dialects/dialect.hpp"

namespace migpkg {

const Dialect& sqlserver_dialect() {
  static const Dialect dialect([] {
    DialectSpec s;
    s.name = "sqlserver";
    s.engine = ir::Engine::SQLServer;
    s.identifier_open = '[';
    s.identifier_close = ']';
    s.true_literal = "1";
    s.false_literal = "0";
    s.string_prefix = "N";
    s.begin_transaction = "BEGIN TRANSACTION";
    s.boolean_select = false;
    s.split.bracket_identifiers = true;
    s.concat_operator = "+";
    s.functions = {
        {"upper", "UPPER({0})"},
        {"lower", "LOWER({0})"},
        {"trim", "LTRIM(RTRIM({0}))"},
        {"ltrim", "LTRIM({0})"},
        {"rtrim", "RTRIM({0})"},
        {"length", "LEN({0})"},
        {"abs", "ABS({0})"},
        {"round", "ROUND({0}, 0[ + {1}])"},
        {"substring", "SUBSTRING({0}, {1}, [{2}]2147483647)"},
        {"replace", "REPLACE({0}, {1}, {2})"},
        {"concat", "(CAST({0} AS NVARCHAR(MAX)) + {*})"},
        {"coalesce", "COALESCE({0}, {1})"},
        {"nullif", "NULLIF({0}, {1})"},
        {"to_text", "CAST({0} AS NVARCHAR(MAX))"},
        {"to_integer", "CAST({0} AS BIGINT)"},
        {"to_decimal", "CAST({0} AS DECIMAL(38,10))"},
        {"to_boolean",
         "(CASE WHEN {0} IS NULL THEN NULL WHEN LOWER(CAST({0} AS NVARCHAR(MAX))) IN ('1', 't', "
         "'true', 'y', 'yes', 'on') THEN 1 ELSE 0 END)"},
    };
    using T = ir::ColumnType::Kind;
    s.ddl.types = {
        {T::Bool, "BIT"},
        {T::Int16, "SMALLINT"},
        {T::Int32, "INT"},
        {T::Int64, "BIGINT"},
        {T::Serial, "INT IDENTITY(1,1)"},
        {T::BigSerial, "BIGINT IDENTITY(1,1)"},
        {T::Decimal, "DECIMAL({p},{s})"},
        {T::Float32, "REAL"},
        {T::Float64, "FLOAT(53)"},
        {T::Text, "NVARCHAR(MAX)"},
        {T::String, "NVARCHAR({n})"},
        {T::Char, "NCHAR({n})"},
        {T::Bytes, "VARBINARY(MAX)"},
        {T::Uuid, "UNIQUEIDENTIFIER"},
        {T::Json, "NVARCHAR(MAX)"},
        {T::Date, "DATE"},
        {T::Time, "TIME"},
        {T::Timestamp, "DATETIME2"},
        {T::TimestampTz, "DATETIMEOFFSET"},
        {T::Vector, "NVARCHAR(MAX)"},  // a JSON array of numbers
    };
    s.ddl.max_string_length = 4000;
    s.ddl.max_char_length = 4000;
    s.ddl.enum_base_type = "NVARCHAR({n})";
    s.ddl.now_default = "SYSDATETIMEOFFSET()";
    s.ddl.uuid_default = "NEWID()";
    s.ddl.named_default_constraints = true;
    s.ddl.self_reference_actions = false;
    s.ddl.drop_index_needs_table = true;
    s.ddl.add_column = "ADD";
    s.ddl.unsupported_on_delete = {ir::ReferentialAction::Restrict};
    s.ddl.unsupported_on_update = {ir::ReferentialAction::Restrict};
    s.ddl.alter_style = DdlSpec::AlterStyle::SQLServer;
    s.ddl.rename_style = DdlSpec::RenameStyle::SpRename;
    s.ddl.comment_style = DdlSpec::CommentStyle::ExtendedProperty;
    s.ddl.max_name_length = 128;
    return s;
  }());
  return dialect;
}

}  // namespace migpkg
