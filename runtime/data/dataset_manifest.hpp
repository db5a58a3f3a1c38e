#pragma once
// dataset.json: DatasetManifest (dataset.hpp) to its bytes and back. The reading side treats the
// text as hostile: sizes and counts bounded, every member checked for its type, file names
// plain (one part, no traversal, the package entry-name alphabet), names unique, the file
// name's extension agreeing with its format and compression. Errors name the file and a JSON
// pointer. schemas/dataset.schema.json describes the same document.
#include <cstdint>
#include <optional>
#include <string>

#include "runtime/data/dataset.hpp"

namespace migpkg::data {

inline constexpr const char* kManifestName = "dataset.json";
inline constexpr std::uint64_t kMaxManifestBytes = 16ull << 20;
inline constexpr std::size_t kMaxTables = 10000;
inline constexpr std::size_t kMaxColumns = 4096;
inline constexpr std::size_t kMaxNameBytes = 1024;

std::string manifest_bytes(const DatasetManifest& manifest);

// `label` names the manifest in errors ("out/dataset.json").
DatasetManifest parse_manifest(const std::string& text, const std::string& label);

// The extension of a table file: ".ndjson", ".csv", plus ".zst" when compressed.
std::string table_file_extension(FileFormat format, Compression compression);
const char* format_name(FileFormat format);
const char* compression_name(Compression compression);

// A column's portable type as dataset.json spells it: the migration sources' spelling
// (compiler/schema/type_names.hpp), and "decimal" for a decimal without precision (PostgreSQL's
// unconstrained numeric), which sources cannot declare but a database can hold.
std::string portable_type_text(const ir::ColumnType& type);
// The reverse; nullopt and `error` filled when `text` is no type.
std::optional<ir::ColumnType> parse_portable_type(const std::string& text, std::string* error);

// Why `name` cannot be a table file's name ("" when it can).
std::string table_file_name_problem(const std::string& name);

}  // namespace migpkg::data
