#include "runtime/operations/operation.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace migpkg::operations {
namespace {

using json = nlohmann::ordered_json;

// request_json / result_json nested as JSON; text that is not JSON stays a string.
json nested(const std::string& text) {
  if (text.empty()) return nullptr;
  json parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? json(text) : parsed;
}

std::string flat(const json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

std::string text_member(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return "";
  if (!it->is_string()) throw std::runtime_error(std::string("member ") + name + " is not text");
  return it->get<std::string>();
}

}  // namespace

std::string to_string(OperationState state) {
  switch (state) {
    case OperationState::pending:
      return "pending";
    case OperationState::running:
      return "running";
    case OperationState::completed:
      return "completed";
    case OperationState::failed:
      return "failed";
    case OperationState::cancelled:
      return "cancelled";
  }
  return "failed";
}

std::optional<OperationState> state_from_string(const std::string& name) {
  for (OperationState s :
       {OperationState::pending, OperationState::running, OperationState::completed,
        OperationState::failed, OperationState::cancelled})
    if (to_string(s) == name) return s;
  return std::nullopt;
}

bool is_finished(OperationState state) {
  return state == OperationState::completed || state == OperationState::failed ||
         state == OperationState::cancelled;
}

std::string to_string(CancelResult result) {
  switch (result) {
    case CancelResult::not_found:
      return "not_found";
    case CancelResult::already_finished:
      return "already_finished";
    case CancelResult::requested:
      return "requested";
  }
  return "not_found";
}

std::string OperationRecord::to_json() const {
  json j;
  j["id"] = id;
  j["kind"] = kind;
  j["requestedBy"] = requested_by;
  j["request"] = nested(request_json);
  j["state"] = to_string(state);
  j["createdAt"] = created_at;
  j["startedAt"] = started_at.empty() ? json(nullptr) : json(started_at);
  j["finishedAt"] = finished_at.empty() ? json(nullptr) : json(finished_at);
  json p;
  p["unit"] = progress.unit;
  p["done"] = progress.done;
  p["total"] = progress.total;
  p["ratePerSecond"] = progress.rate_per_second;
  p["etaSeconds"] = progress.eta_seconds ? json(*progress.eta_seconds) : json(nullptr);
  j["progress"] = p;
  j["log"] = log;
  j["result"] = nested(result_json);
  if (problem)
    j["problem"] = {
        {"code", problem->code}, {"message", problem->message}, {"exitCode", problem->exit_code}};
  else
    j["problem"] = nullptr;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

OperationRecord OperationRecord::from_json(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw std::runtime_error("not a JSON object");
  OperationRecord r;
  r.id = text_member(j, "id");
  if (r.id.empty()) throw std::runtime_error("no id");
  r.kind = text_member(j, "kind");
  r.requested_by = text_member(j, "requestedBy");
  r.request_json = flat(j.value("request", json(nullptr)));
  std::optional<OperationState> state = state_from_string(text_member(j, "state"));
  if (!state) throw std::runtime_error("unknown state '" + text_member(j, "state") + "'");
  r.state = *state;
  r.created_at = text_member(j, "createdAt");
  r.started_at = text_member(j, "startedAt");
  r.finished_at = text_member(j, "finishedAt");
  if (auto p = j.find("progress"); p != j.end() && p->is_object()) {
    r.progress.unit = text_member(*p, "unit");
    r.progress.done = p->value("done", std::uint64_t{0});
    r.progress.total = p->value("total", std::uint64_t{0});
    r.progress.rate_per_second = p->value("ratePerSecond", 0.0);
    if (auto eta = p->find("etaSeconds"); eta != p->end() && eta->is_number())
      r.progress.eta_seconds = eta->get<double>();
  }
  if (auto l = j.find("log"); l != j.end() && l->is_array())
    for (const auto& line : *l)
      if (line.is_string()) r.log.push_back(line.get<std::string>());
  r.result_json = flat(j.value("result", json(nullptr)));
  if (auto p = j.find("problem"); p != j.end() && p->is_object())
    r.problem = OperationProblem{text_member(*p, "code"), text_member(*p, "message"),
                                 p->value("exitCode", 1)};
  return r;
}

}  // namespace migpkg::operations
