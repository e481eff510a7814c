// Value-level defects on a JSON gold answer.
#include "providers/mock_defects.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace comply::mock {

using json = nlohmann::json;

namespace {

bool Wants(const std::vector<Defect>& wanted, Defect d) {
  return std::find(wanted.begin(), wanted.end(), d) != wanted.end();
}

// Every value in pre-order (the root first), as pointers into `root`.
void Collect(json& v, std::vector<json*>* out) {
  out->push_back(&v);
  if (v.is_object()) {
    for (auto& [key, child] : v.items()) Collect(child, out);
  } else if (v.is_array()) {
    for (auto& child : v) Collect(child, out);
  }
}

std::size_t Pick(std::size_t n, Dice& dice) {
  return static_cast<std::size_t>(dice.Uniform() * static_cast<double>(n)) % n;
}

bool HallucinateField(json& root, Dice& dice) {
  std::vector<json*> all;
  Collect(root, &all);
  std::vector<json*> objects;
  for (json* v : all) {
    if (v->is_object()) objects.push_back(v);
  }
  if (objects.empty()) return false;
  // Half the time at the top level (or the first object), otherwise any nested object.
  json* target = objects.front();
  if (objects.size() > 1 && dice.Uniform() >= 0.5) target = objects[1 + Pick(objects.size() - 1, dice)];
  static const std::pair<const char*, const char*> kCandidates[] = {
      {"confidence", "0.92"}, {"notes", "\"Values taken from the document as written.\""},
      {"source", "\"document\""}, {"extracted_at", "\"2024-05-01T12:00:00Z\""},
      {"comment", "\"See the original for details.\""}};
  std::size_t start = Pick(std::size(kCandidates), dice);
  for (std::size_t i = 0; i < std::size(kCandidates); ++i) {
    const auto& [key, value] = kCandidates[(start + i) % std::size(kCandidates)];
    if (!target->contains(key)) {
      (*target)[key] = json::parse(value);
      return true;
    }
  }
  return false;
}

std::optional<json> NumberFromString(const std::string& s) {
  if (s.empty() || s.size() > 30 || std::isspace(static_cast<unsigned char>(s.front()))) {
    return std::nullopt;
  }
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || s.find_first_of("xXnN") != std::string::npos) {
    return std::nullopt;  // not fully numeric, or hex / nan / inf spellings
  }
  if (s.find_first_of(".eE") == std::string::npos && d >= -9e15 && d <= 9e15) {
    return json(static_cast<std::int64_t>(d));
  }
  return json(d);
}

bool WrongType(json& root, Dice& dice) {
  std::vector<json*> all;
  Collect(root, &all);
  std::vector<json*> candidates;
  for (json* v : all) {
    if (v->is_number() || (v->is_string() && NumberFromString(v->get<std::string>()))) {
      candidates.push_back(v);
    }
  }
  if (candidates.empty()) {
    for (json* v : all) {
      if (v->is_boolean() || v->is_string()) candidates.push_back(v);
    }
  }
  if (candidates.empty()) return false;
  json* v = candidates[Pick(candidates.size(), dice)];
  if (v->is_number() || v->is_boolean()) {
    *v = v->dump();  // 12.5 -> "12.5", true -> "true"
  } else if (auto n = NumberFromString(v->get<std::string>())) {
    *v = *n;  // "2024" -> 2024
  } else {
    *v = 0;   // a text field answered with a number
  }
  return true;
}

// An id or code: 2-40 characters of [A-Z0-9._/-] with at least one capital letter.
bool LooksLikeCode(const std::string& s) {
  if (s.size() < 2 || s.size() > 40) return false;
  bool letter = false;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') {
      letter = true;
    } else if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
                 c == '/' || c == '-')) {
      return false;
    }
  }
  return letter;
}

bool ViolateRule(json& root, Dice& dice) {
  std::vector<json*> all;
  Collect(root, &all);
  for (json* v : all) {
    if (!v->is_string() || !LooksLikeCode(v->get<std::string>())) continue;
    std::string s = v->get<std::string>();
    if (dice.Uniform() < 0.5) {
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {  // same shape, a code no list contains: letters -> X, digits -> 9
      for (char& c : s) {
        if (c >= 'A' && c <= 'Z') c = 'X';
        if (c >= '0' && c <= '9') c = '9';
      }
      if (s == v->get<std::string>()) s.insert(0, "Z");
    }
    *v = s;
    return true;
  }
  // No code at all: break a whole-text `forbid` rule instead, in the first string.
  for (json* v : all) {
    if (v->is_string()) {
      *v = "As an AI language model, I read: " + v->get<std::string>();
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<Defect> MutateValue(json& value, const std::vector<Defect>& wanted, Dice& dice) {
  std::vector<Defect> applied;
  if (Wants(wanted, Defect::kRuleViolation) && ViolateRule(value, dice)) {
    applied.push_back(Defect::kRuleViolation);
  }
  if (Wants(wanted, Defect::kWrongType) && WrongType(value, dice)) {
    applied.push_back(Defect::kWrongType);
  }
  // Last, so the other two never pick the invented field.
  if (Wants(wanted, Defect::kHallucinatedField) && HallucinateField(value, dice)) {
    applied.push_back(Defect::kHallucinatedField);
  }
  return applied;
}

std::string CutUtf8(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  return text.substr(0, n);
}

Answer RenderAnswer(const json& gold, const std::vector<Defect>& wanted, Dice& dice) {
  if (gold.is_string()) return RenderTextAnswer(gold.get<std::string>(), wanted, dice);
  json value = gold;
  Answer answer;
  answer.applied = MutateValue(value, wanted, dice);
  DressText(value.dump(-1, ' ', false, json::error_handler_t::replace), wanted, false, dice,
            &answer);
  return answer;
}

json GenericAnswer(std::uint64_t key) {
  char id[16];
  std::snprintf(id, sizeof id, "GEN-%06llX", static_cast<unsigned long long>(key & 0xFFFFFF));
  return json{{"id", id}, {"label", "other"}, {"score", 0.5}};
}

}  // namespace comply::mock
