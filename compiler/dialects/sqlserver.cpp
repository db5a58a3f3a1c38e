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
    s.functions["trim"] = "LTRIM(RTRIM({0}))";
    s.functions["length"] = "LEN({0})";
    s.functions["round"] = "ROUND({0}, 0[ + {1}])";
    s.functions["substring"] = "SUBSTRING({0}, {1}, [{2}]2147483647)";
    s.functions["concat"] = "(CAST({0} AS NVARCHAR(MAX)) + {*})";
    s.functions["to_text"] = "CAST({0} AS NVARCHAR(MAX))";
    s.functions["to_decimal"] = "CAST({0} AS DECIMAL(38,10))";
    s.functions["to_boolean"] =
        "(CASE WHEN {0} IS NULL THEN NULL WHEN LOWER(CAST({0} AS NVARCHAR(MAX))) IN ('1', 't', "
        "'true', 'y', 'yes', 'on') THEN 1 ELSE 0 END)";
    using T = ir::ColumnType::Kind;
    s.ddl.types[T::Bool] = "BIT";
    s.ddl.types[T::Int32] = "INT";
    s.ddl.types[T::Serial] = "INT IDENTITY(1,1)";
    s.ddl.types[T::BigSerial] = "BIGINT IDENTITY(1,1)";
    s.ddl.types[T::Decimal] = "DECIMAL({p},{s})";
    s.ddl.types[T::Float64] = "FLOAT(53)";
    s.ddl.types[T::Text] = "NVARCHAR(MAX)";
    s.ddl.types[T::String] = "NVARCHAR({n})";
    s.ddl.types[T::Char] = "NCHAR({n})";
    s.ddl.types[T::Bytes] = "VARBINARY(MAX)";
    s.ddl.types[T::Uuid] = "UNIQUEIDENTIFIER";
    s.ddl.types[T::Json] = "NVARCHAR(MAX)";
    s.ddl.types[T::Timestamp] = "DATETIME2";
    s.ddl.types[T::TimestampTz] = "DATETIMEOFFSET";
    s.ddl.types[T::Vector] = "NVARCHAR(MAX)";  // a JSON array of numbers
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
    s.ddl.unkeyable_kinds = {T::Text, T::Bytes, T::Json, T::Vector};
    return s;
  }());
  return dialect;
}

}  // namespace migpkg
