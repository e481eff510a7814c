#pragma once
// Gold comparison (DESIGN.md "Checks" 6): only the fields present in `expected`.
// Objects are walked to their leaves; arrays and scalars are leaves. Each leaf is compared
// with the MatchSpec named by its pointer (with array indices as `*` also looked up), exact
// by default. Thread-safe (pure function).

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "evaluator/record.h"
#include "evaluator/suite.h"

namespace comply {

// `actual` is null when nothing was extracted: every field is then a miss.
std::vector<FieldMatch> CompareGold(const nlohmann::json& expected, const nlohmann::json* actual,
                                    const std::map<std::string, MatchSpec>& match);

}  // namespace comply
