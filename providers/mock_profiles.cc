// The demo's mock profiles, the profile file format, and the /stats body.
#include <fstream>
#include <sstream>

#include "providers/mock_server.h"

namespace comply {

using json = nlohmann::json;

namespace {

// Every numeric MockProfile field by its name, for the file format.
struct Field {
  const char* name;
  double MockProfile::*member;
  bool probability;
};
const Field kFields[] = {
    {"latency_ms", &MockProfile::latency_ms, false},
    {"latency_jitter_ms", &MockProfile::latency_jitter_ms, false},
    {"hallucinated_field", &MockProfile::hallucinated_field, true},
    {"code_fence", &MockProfile::code_fence, true},
    {"prose", &MockProfile::prose, true},
    {"truncation", &MockProfile::truncation, true},
    {"wrong_type", &MockProfile::wrong_type, true},
    {"rule_violation", &MockProfile::rule_violation, true},
    {"rate_limit", &MockProfile::rate_limit, true},
    {"retry_after_s", &MockProfile::retry_after_s, false},
    {"http_500", &MockProfile::http_500, true},
    {"http_503", &MockProfile::http_503, true},
    {"slow_trickle", &MockProfile::slow_trickle, true},
    {"reset", &MockProfile::reset, true},
    {"truncated_body", &MockProfile::truncated_body, true},
    {"invalid_envelope", &MockProfile::invalid_envelope, true},
    {"hang", &MockProfile::hang, true},
    {"trickle_s", &MockProfile::trickle_s, false},
    {"hang_s", &MockProfile::hang_s, false},
    {"input_tokens_per_char", &MockProfile::input_tokens_per_char, false},
};

Result<MockProfile> ParseProfile(const json& p, const std::string& where) {
  if (!p.is_object()) return InvalidInput(where + ": a profile must be an object");
  MockProfile out;
  if (!p.contains("name") || !p["name"].is_string() || p["name"].get<std::string>().empty()) {
    return InvalidInput(where + "/name: a profile needs a non-empty string \"name\"");
  }
  out.name = p["name"].get<std::string>();
  for (const auto& [key, value] : p.items()) {
    if (key == "name") continue;
    const Field* field = nullptr;
    for (const Field& f : kFields) {
      if (key == f.name) field = &f;
    }
    if (!field) {
      return InvalidInput(where + "/" + key + ": unknown key \"" + key +
                          "\" (expected a MockProfile field such as latency_ms, code_fence, "
                          "rate_limit)");
    }
    if (!value.is_number()) {
      return InvalidInput(where + "/" + key + ": expected a number, got " + value.dump());
    }
    double v = value.get<double>();
    if (v < 0 || (field->probability && v > 1)) {
      return InvalidInput(where + "/" + key + ": " + value.dump() + " is out of range (" +
                          (field->probability ? "a probability in [0, 1]" : "must be >= 0") + ")");
    }
    out.*(field->member) = v;
  }
  return out;
}

}  // namespace

std::vector<MockProfile> DefaultMockProfiles() {
  MockProfile large;
  large.name = "large-prompted";
  large.latency_ms = 40;
  large.latency_jitter_ms = 15;
  large.hallucinated_field = 0.08;
  large.code_fence = 0.06;
  large.prose = 0.04;
  large.truncation = 0.02;
  large.wrong_type = 0.03;
  large.rule_violation = 0.04;
  large.rate_limit = 0.01;
  large.http_500 = 0.002;
  large.http_503 = 0.003;

  MockProfile small;
  small.name = "small-finetuned";
  small.latency_ms = 15;
  small.latency_jitter_ms = 5;
  small.hallucinated_field = 0.01;
  small.code_fence = 0.005;
  small.prose = 0;
  small.truncation = 0.005;
  small.wrong_type = 0.005;
  small.rule_violation = 0.01;
  small.http_500 = 0.001;
  return {large, small};
}

Result<std::vector<MockProfile>> ParseMockProfiles(const json& doc, const std::string& where) {
  const json* list = &doc;
  std::string base = where + ": ";
  if (doc.is_object()) {
    if (!doc.contains("profiles")) {
      return InvalidInput(where + ": expected {\"profiles\": [...]} or an array of profiles");
    }
    list = &doc["profiles"];
    base = where + ": /profiles";
  } else {
    base = where + ": ";
  }
  if (!list->is_array() || list->empty()) {
    return InvalidInput(where + ": the profile list must be a non-empty array");
  }
  std::vector<MockProfile> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string at = base + "/" + std::to_string(i);
    Result<MockProfile> p = ParseProfile((*list)[i], at);
    if (!p.ok()) return p.error();
    for (const MockProfile& seen : out) {
      if (seen.name == p->name) {
        return InvalidInput(at + "/name: duplicate profile name \"" + p->name + "\"");
      }
    }
    out.push_back(std::move(*p));
  }
  return out;
}

Result<std::vector<MockProfile>> LoadMockProfiles(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  if (ext == ".yaml" || ext == ".yml") {
    return InvalidInput(path.string() +
                        ": YAML profile files are read by `comply mock-endpoint --profiles`; "
                        "give LoadMockProfiles a .json file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(path.string() + ": cannot open the profile file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  json doc = json::parse(buffer.str(), nullptr, false);
  if (doc.is_discarded()) return InvalidInput(path.string() + ": not valid JSON");
  return ParseMockProfiles(doc, path.string());
}

json MockStats::ToJson() const {
  json out = {{"requests", requests}, {"unknown_model", unknown_model},
              {"bad_request", bad_request}, {"profiles", json::object()}};
  for (const auto& [name, p] : profiles) {
    out["profiles"][name] = {{"requests", p.requests}, {"faults", p.faults},
                             {"defects", p.defects}};
  }
  return out;
}

}  // namespace comply
