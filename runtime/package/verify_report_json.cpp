#include "runtime/package/verify_report_json.hpp"

namespace migpkg::package {

using ojson = nlohmann::ordered_json;

ojson signature_json(const VerifiedPackage& v) {
  ojson s;
  s["keyId"] = key_id_hex(v.key_id);
  s["verified"] = v.signature_checked;
  if (v.signature_checked) s["trustedKey"] = v.key_source;
  if (!v.trust_chain.empty()) s["rotation"] = v.trust_chain;
  return s;
}

ojson verify_json(const std::string& path, const VerifiedPackage& v) {
  const Manifest& m = v.manifest;
  ojson out;
  out["package"] = path;
  out["ok"] = true;
  out["plugin"] = m.plugin;
  out["version"] = m.version;
  out["signature"] = signature_json(v);
  out["files"] = m.files.size();
  out["bytes"] = v.member_bytes;
  return out;
}

}  // namespace migpkg::package
