#pragma once
// Tolerant reads from the JSON documents the writers render (summary, comparison, gate,
// history, decision): a missing member, a null or a value of another type reads as "absent",
// so a writer renders what is present and never throws.
//
//   const nlohmann::json* ep = Find(summary, {"endpoints", name});
//   std::optional<double> rate = Number(*ep, {"compliance_rate"});
//   std::string label = Text(*ep, {"label"});
//
// Pure functions: thread-safe, never throw.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace comply {

// The member at `path` (object keys), or nullptr when some step is missing or not an object.
const nlohmann::json* Find(const nlohmann::json& j, std::initializer_list<std::string_view> path);
// A number at `path` (integers included); nullopt otherwise.
std::optional<double> Number(const nlohmann::json& j, std::initializer_list<std::string_view> path);
// A string at `path`, or `fallback`.
std::string Text(const nlohmann::json& j, std::initializer_list<std::string_view> path,
                 std::string fallback = "");
// A boolean at `path`; nullopt otherwise.
std::optional<bool> Bool(const nlohmann::json& j, std::initializer_list<std::string_view> path);
// Element i of the array at `path` as a number (e.g. compliance_ci[0]).
std::optional<double> NumberAt(const nlohmann::json& j,
                               std::initializer_list<std::string_view> path, std::size_t i);
// A scalar shown as text: strings as is, numbers shortest, booleans true/false, null "".
std::string ScalarText(const nlohmann::json& v);

}  // namespace comply
