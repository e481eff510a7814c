#include "reports/json_access.h"

#include "reports/format_util.h"

namespace comply {

const nlohmann::json* Find(const nlohmann::json& j, std::initializer_list<std::string_view> path) {
  const nlohmann::json* cur = &j;
  for (std::string_view key : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

std::optional<double> Number(const nlohmann::json& j,
                             std::initializer_list<std::string_view> path) {
  const nlohmann::json* v = Find(j, path);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return v->get<double>();
}

std::string Text(const nlohmann::json& j, std::initializer_list<std::string_view> path,
                 std::string fallback) {
  const nlohmann::json* v = Find(j, path);
  if (v == nullptr || !v->is_string()) return fallback;
  return v->get<std::string>();
}

std::optional<bool> Bool(const nlohmann::json& j, std::initializer_list<std::string_view> path) {
  const nlohmann::json* v = Find(j, path);
  if (v == nullptr || !v->is_boolean()) return std::nullopt;
  return v->get<bool>();
}

std::optional<double> NumberAt(const nlohmann::json& j,
                               std::initializer_list<std::string_view> path, std::size_t i) {
  const nlohmann::json* v = Find(j, path);
  if (v == nullptr || !v->is_array() || v->size() <= i || !(*v)[i].is_number()) {
    return std::nullopt;
  }
  return (*v)[i].get<double>();
}

std::string ScalarText(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<std::uint64_t>());
  if (v.is_number()) return ShortestNumber(v.get<double>());
  if (v.is_null()) return "";
  return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace comply
