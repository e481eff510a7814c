#pragma once
// Private to the mock server: turns a gold answer into the text a misbehaving model would send
// (providers/mock_server.h lists what each defect does).
//
//   mock::Dice dice(draw.key);
//   mock::Answer a = mock::RenderAnswer(gold, draw.defects, dice);
//   // a.text, a.truncated (finish_reason "length"), a.applied (defects that could apply)

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "providers/mock_behavior.h"

namespace comply::mock {

struct Answer {
  std::string text;
  bool truncated = false;       // the text was cut: finish_reason "length"
  std::vector<Defect> applied;  // the wanted defects that found something to act on
};

// Value-level defects on a JSON value (hallucinated_field, wrong_type, rule_violation); the
// others in `wanted` are ignored. Returns the ones applied.
std::vector<Defect> MutateValue(nlohmann::json& value, const std::vector<Defect>& wanted,
                                Dice& dice);

// Text-level defects on a serialized answer (truncation, then code_fence and prose); `text_gold`
// picks the wording (a report rather than JSON). Appends to `answer->applied`.
void DressText(std::string body, const std::vector<Defect>& wanted, bool text_gold, Dice& dice,
               Answer* answer);

// A text (template) gold: section-level defects, then DressText.
Answer RenderTextAnswer(const std::string& gold, const std::vector<Defect>& wanted, Dice& dice);

// Dispatches: a string gold is a text answer; anything else is JSON, serialized compactly.
Answer RenderAnswer(const nlohmann::json& gold, const std::vector<Defect>& wanted, Dice& dice);

// Cuts `text` to at most `max_bytes`, on a UTF-8 character boundary.
std::string CutUtf8(const std::string& text, std::size_t max_bytes);

// The answer for a prompt the AnswerBook does not know: a small JSON object.
nlohmann::json GenericAnswer(std::uint64_t key);

}  // namespace comply::mock
