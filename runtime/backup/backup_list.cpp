// Finding, choosing and deleting backups (backup_list.hpp). A backup is recognised only by a
// manifest of migpkg's format; the files deleted are the ones that manifest names, so a file an
// operator keeps in the backup directory is never listed or removed.
#include "runtime/backup/backup_list.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "runtime/backup/backup_internal.hpp"

namespace migpkg::runtime {
namespace {

using namespace backup_detail;

const std::string kManifestSuffix = ".manifest.json";

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() > suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::uint64_t file_size(const std::string& path) {
  struct stat info {};
  return lstat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)
             ? static_cast<std::uint64_t>(info.st_size)
             : 0;
}

std::time_t parse_created(const std::string& iso) {
  std::tm utc{};
  if (!strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%SZ", &utc)) return 0;
  return timegm(&utc);
}

std::string optional_string(const nlohmann::json& manifest, const char* key) {
  auto it = manifest.find(key);
  return it != manifest.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A data file name from a manifest: a plain name inside the backup directory, or nothing.
bool safe_file_name(const std::string& name) {
  return !name.empty() && name[0] != '.' && name.find('/') == std::string::npos;
}

// The backup whose manifest is `manifest_path`, or nullopt when it is not one of migpkg's.
std::optional<ListedBackup> read_listed(const std::string& path, const std::string& manifest_path,
                                        bool directory) {
  nlohmann::json manifest;
  try {
    manifest = read_manifest(manifest_path);
  } catch (const BackupError&) {
    return std::nullopt;  // not a migpkg backup (or not one this migpkg reads): not ours
  }
  ListedBackup backup;
  backup.path = path;
  backup.manifest = manifest_path;
  backup.engine = optional_string(manifest, "engine");
  backup.database = optional_string(manifest, "database");
  backup.label = optional_string(manifest, "label");
  backup.created = optional_string(manifest, "created");
  backup.created_time = parse_created(backup.created);
  backup.compressed = optional_string(manifest, "compression") == kCompression;
  backup.encrypted = !optional_string(manifest, "encryption").empty();
  if (auto rows = manifest.find("total_rows"); rows != manifest.end() && rows->is_number_integer())
    backup.rows = rows->get<std::int64_t>();
  auto sealed = manifest.find("sealed");  // an encrypted backup lists its age files there
  if (directory && sealed != manifest.end() && sealed->is_array()) {
    for (const auto& entry : *sealed) {
      std::string name = entry.is_string() ? entry.get<std::string>() : "";
      if (safe_file_name(name) && exists(path + "/" + name))
        backup.files.push_back(path + "/" + name);
    }
  } else if (directory) {
    if (auto tables = manifest.find("tables"); tables != manifest.end() && tables->is_array())
      for (const auto& table : *tables) {
        std::string name = table.is_object() ? optional_string(table, "file") : "";
        if (safe_file_name(name) && exists(path + "/" + name))
          backup.files.push_back(path + "/" + name);
      }
  } else {
    backup.files.push_back(path);
  }
  backup.files.push_back(manifest_path);
  for (const auto& file : backup.files) backup.size += file_size(file);
  struct stat info {};
  if (lstat(manifest_path.c_str(), &info) == 0)
    backup.written_ns = std::int64_t{info.st_mtim.tv_sec} * 1000000000 + info.st_mtim.tv_nsec;
  return backup;
}

}  // namespace

std::vector<ListedBackup> list_backups(const std::string& directory) {
  std::vector<ListedBackup> out;
  DIR* dir = opendir(directory.c_str());
  if (!dir) {
    if (errno == ENOENT) return out;
    throw BackupError("cannot read backup directory " + directory + ": " + std::strerror(errno));
  }
  std::vector<std::string> names;
  while (dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    // Hidden: ".", "..", and backups still being written under a temporary name.
    if (!name.empty() && name[0] != '.') names.push_back(name);
  }
  closedir(dir);
  for (const auto& name : names) {
    std::string path = directory + "/" + name;
    std::optional<ListedBackup> backup;
    if (is_directory(path)) {
      if (exists(path + "/manifest.json"))
        backup = read_listed(path, path + "/manifest.json", true);
    } else if (ends_with(name, kManifestSuffix)) {
      std::string data = path.substr(0, path.size() - kManifestSuffix.size());
      // A manifest without its data file is not a backup restore could use.
      if (exists(data) && !is_directory(data)) backup = read_listed(data, path, false);
    }
    if (backup) out.push_back(std::move(*backup));
  }
  std::sort(out.begin(), out.end(), [](const ListedBackup& a, const ListedBackup& b) {
    if (a.created_time != b.created_time) return a.created_time > b.created_time;
    // The same second: the manifest written last is the newer backup.
    if (a.written_ns != b.written_ns) return a.written_ns > b.written_ns;
    return a.path > b.path;
  });
  return out;
}

std::vector<ListedBackup> backups_to_prune(const std::vector<ListedBackup>& newest_first,
                                           const Retention& rule, std::time_t now,
                                           const std::set<std::string>& spared) {
  std::vector<ListedBackup> out;
  if (!rule.any()) return out;
  for (std::size_t i = 0; i < newest_first.size(); ++i) {
    const ListedBackup& backup = newest_first[i];
    bool kept_by_count = rule.keep && static_cast<std::int64_t>(i) < *rule.keep;
    bool kept_by_age =
        rule.keep_days && now - backup.created_time < *rule.keep_days * std::int64_t{86400};
    if (kept_by_count || kept_by_age || spared.count(backup.path)) continue;
    out.push_back(backup);
  }
  return out;
}

void delete_backup(const ListedBackup& backup) {
  // The data files first and the manifest last: a directory backup half-deleted by a crash still
  // has the manifest that lets the next prune find (and finish) it.
  for (const auto& file : backup.files)
    if (unlink(file.c_str()) != 0 && errno != ENOENT)
      throw BackupError("cannot delete backup file " + file + ": " + std::strerror(errno));
  if (!is_directory(backup.path)) return;
  if (rmdir(backup.path.c_str()) != 0)
    throw BackupError("backup " + backup.path + " was deleted but its directory was left: " +
                      (errno == ENOTEMPTY || errno == EEXIST
                           ? std::string("it holds files that are not part of the backup")
                           : std::string(std::strerror(errno))));
}

}  // namespace migpkg::runtime
