// Text-level defects: truncation, code fences, prose, and section defects of text answers.
#include <algorithm>
#include <cctype>
#include <string_view>

#include "providers/mock_defects.h"

namespace comply::mock {

namespace {

bool Wants(const std::vector<Defect>& wanted, Defect d) {
  return std::find(wanted.begin(), wanted.end(), d) != wanted.end();
}

std::size_t Pick(std::size_t n, Dice& dice) {
  return static_cast<std::size_t>(dice.Uniform() * static_cast<double>(n)) % n;
}

// A heading line, as the default template `extra_heading` sees one: `# ...` to `###### ...`,
// or a capitalised label such as `SUMMARY:` or `FINDINGS`.
bool IsHeading(std::string_view line) {
  std::size_t hashes = 0;
  while (hashes < line.size() && line[hashes] == '#') ++hashes;
  if (hashes >= 1 && hashes <= 6) return line.size() > hashes && line[hashes] == ' ';
  if (line.size() < 3 || !(line[0] >= 'A' && line[0] <= 'Z')) return false;
  std::string_view rest = line.substr(1);
  if (rest.back() == ':') rest.remove_suffix(1);
  if (rest.size() < 2) return false;
  return std::all_of(rest.begin(), rest.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || c == ' ' || c == '/' || c == '&' || c == '-';
  });
}

struct Sections {
  std::string preamble;            // text before the first heading, trailing newlines trimmed
  std::vector<std::string> parts;  // each starts with its heading line; trailing newlines trimmed
  std::string separator = "\n";    // between sections: "\n\n" when the gold leaves blank lines
  bool trailing_newline = false;
};

std::string TrimNewlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

Sections Split(const std::string& text) {
  Sections s;
  s.trailing_newline = !text.empty() && text.back() == '\n';
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    std::size_t next = end == std::string::npos ? text.size() : end + 1;
    std::string line = text.substr(pos, next - pos);
    std::string_view bare = line;
    while (!bare.empty() && (bare.back() == '\n' || bare.back() == '\r')) bare.remove_suffix(1);
    if (IsHeading(bare)) {
      if (!s.parts.empty() && s.parts.back().ends_with("\n\n")) s.separator = "\n\n";
      s.parts.push_back(line);
    } else if (s.parts.empty()) {
      s.preamble += line;
    } else {
      s.parts.back() += line;
    }
    pos = next;
  }
  if (!s.parts.empty() && s.preamble.ends_with("\n\n")) s.separator = "\n\n";
  s.preamble = TrimNewlines(s.preamble);
  for (std::string& p : s.parts) p = TrimNewlines(p);
  return s;
}

std::string Join(const Sections& s) {
  std::string out = s.preamble;
  for (const std::string& p : s.parts) {
    if (!out.empty()) out += s.separator;
    out += p;
  }
  if (s.trailing_newline) out += '\n';
  return out;
}

// The extra section mimics the text's own heading style.
std::string ExtraSection(const Sections& s) {
  if (!s.parts.empty() && s.parts.front().front() == '#') {
    std::size_t hashes = s.parts.front().find_first_not_of('#');
    return std::string(hashes, '#') + " Additional Notes\nGenerated automatically; verify before use.";
  }
  return "ADDITIONAL NOTES:\nGenerated automatically; verify before use.";
}

const char* const kJsonLead[] = {"Here is the extracted data:", "Sure! Here's the JSON you asked for:",
                                 "Certainly. The extracted fields are below."};
const char* const kJsonTail[] = {"Let me know if you need anything else.", "I hope this helps!",
                                 "All values are as stated in the document."};
const char* const kTextLead[] = {"Sure, here is the report:", "Certainly! Below is the write-up."};
const char* const kTextTail[] = {"Let me know if you would like any changes.",
                                 "I hope this summary is useful."};

}  // namespace

void DressText(std::string body, const std::vector<Defect>& wanted, bool text_gold, Dice& dice,
               Answer* answer) {
  bool truncate = Wants(wanted, Defect::kTruncation) && body.size() >= 2;
  if (truncate) {
    // Cut between 35% and 75% of the way: inside the value, never at its end.
    double f = 0.35 + 0.4 * dice.Uniform();
    std::size_t at = std::max<std::size_t>(1, static_cast<std::size_t>(f * body.size()));
    body = CutUtf8(body, std::min(at, body.size() - 1));
    answer->applied.push_back(Defect::kTruncation);
    answer->truncated = true;
  }
  std::string lead, tail;
  if (Wants(wanted, Defect::kProse)) {
    if (text_gold) {
      lead = kTextLead[Pick(std::size(kTextLead), dice)];
      tail = kTextTail[Pick(std::size(kTextTail), dice)];
    } else {
      lead = kJsonLead[Pick(std::size(kJsonLead), dice)];
      tail = kJsonTail[Pick(std::size(kJsonTail), dice)];
    }
    answer->applied.push_back(Defect::kProse);
  }
  std::string open, close;
  if (Wants(wanted, Defect::kCodeFence)) {
    open = text_gold ? "```markdown\n" : "```json\n";
    close = body.empty() || body.back() == '\n' ? "```" : "\n```";
    answer->applied.push_back(Defect::kCodeFence);
  }
  std::string out;
  if (!lead.empty()) out += lead + "\n\n";
  out += open + body;
  if (!truncate) {  // a cut-off model never writes what comes after the cut
    out += close;
    if (!tail.empty()) {
      while (!out.empty() && out.back() == '\n') out.pop_back();
      out += "\n\n" + tail;
    }
  }
  answer->text = std::move(out);
}

Answer RenderTextAnswer(const std::string& gold, const std::vector<Defect>& wanted, Dice& dice) {
  Answer answer;
  Sections s = Split(gold);
  if (Wants(wanted, Defect::kRuleViolation) && s.parts.size() >= 2) {
    s.parts.erase(s.parts.begin() + static_cast<std::ptrdiff_t>(Pick(s.parts.size(), dice)));
    answer.applied.push_back(Defect::kRuleViolation);
  }
  if (Wants(wanted, Defect::kWrongType) && s.parts.size() >= 2) {
    std::size_t i = Pick(s.parts.size() - 1, dice);
    std::swap(s.parts[i], s.parts[i + 1]);
    answer.applied.push_back(Defect::kWrongType);
  }
  if (Wants(wanted, Defect::kHallucinatedField)) {
    std::string extra = ExtraSection(s);
    std::size_t at = s.parts.empty() ? 0 : 1 + Pick(s.parts.size(), dice);
    if (s.parts.empty()) s.separator = "\n\n";
    s.parts.insert(s.parts.begin() + static_cast<std::ptrdiff_t>(at), extra);
    answer.applied.push_back(Defect::kHallucinatedField);
  }
  DressText(Join(s), wanted, true, dice, &answer);
  return answer;
}

}  // namespace comply::mock
