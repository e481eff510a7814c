#include "evaluator/extract.h"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <utility>

#include "evaluator/extract_scan.h"
#include "evaluator/json_depth.h"

namespace comply {

std::string_view DriftName(Drift d) {
  switch (d) {
    case Drift::kCodeFence:
      return "code_fence";
    case Drift::kLeadingText:
      return "leading_text";
    case Drift::kTrailingText:
      return "trailing_text";
    case Drift::kMultipleJson:
      return "multiple_json";
    case Drift::kTruncated:
      return "truncated";
    case Drift::kMalformed:
      return "malformed";
    case Drift::kNotJson:
      return "not_json";
    case Drift::kEmpty:
      return "empty";
  }
  return "unknown";
}

bool DriftFails(Drift d, ExtractionMode mode) {
  if (mode == ExtractionMode::kStrict) return true;
  return d == Drift::kTruncated || d == Drift::kMalformed || d == Drift::kNotJson ||
         d == Drift::kEmpty;
}

namespace {

using extract_internal::Bracketed;
using extract_internal::IsSpace;
using extract_internal::LooksLikeJson;
using extract_internal::MatchBrackets;
using extract_internal::Span;

// Drift categories as a bit set, emitted in enum order.
class DriftSet {
 public:
  void Add(Drift d) { bits_ |= 1u << static_cast<unsigned>(d); }
  bool Has(Drift d) const { return (bits_ >> static_cast<unsigned>(d)) & 1u; }
  std::vector<Drift> ToVector() const {
    std::vector<Drift> out;
    for (int i = 0; i < kDriftCount; ++i) {
      if ((bits_ >> i) & 1u) out.push_back(static_cast<Drift>(i));
    }
    return out;
  }

 private:
  std::uint32_t bits_ = 0;
};

std::string_view Trim(std::string_view t) {
  std::size_t b = 0;
  std::size_t e = t.size();
  while (b < e && IsSpace(t[b])) ++b;
  while (e > b && IsSpace(t[e - 1])) --e;
  return t.substr(b, e - b);
}

bool Accepts(std::string_view s) {
  return nlohmann::json::accept(s.data(), s.data() + s.size());
}

// Parses `s` into *out once (exceptions off); a value deeper than kMaxJsonDepth is only
// checked for validity (nlohmann's parser is iterative, its DOM is not) and *too_deep set.
// With `doc`, the value goes there instead of *out.
bool ParseCapped(std::string_view s, bool deep, nlohmann::json* out, JsonDoc* doc, bool* too_deep) {
  if (deep) {
    if (!Accepts(s)) return false;
    *too_deep = true;
    return true;
  }
  if (doc != nullptr) return doc->Parse(s);
  nlohmann::json v = nlohmann::json::parse(s.data(), s.data() + s.size(), nullptr, false);
  if (v.is_discarded()) return false;
  *out = std::move(v);
  return true;
}

// The lenient search: fences, prose, and every JSON-like value starting with `{` or `[`.
// Each byte is looked at by the prose loop or by one bracket match, and each bracketed
// slice is parsed at most once, so the search is linear in the text.
void Search(std::string_view t, Extraction* e, JsonDoc* doc, DriftSet* drift) {
  bool in_fence = false;
  bool has_fence = false;
  bool prose = false;           // non-whitespace prose since the last anchor
  bool failed_since = false;    // failed JSON-like candidates since the value
  bool first_failed = false;    // a JSON-like candidate failed before any value
  bool lead_failed = false;     // prose before that first failed candidate
  bool lead_value = false;
  bool multiple = false;
  DriftSet failures;            // truncated / malformed, used only when no value is found
  std::size_t pos = 0;
  const std::size_t n = t.size();
  while (pos < n) {
    const char c = t[pos];
    if (c == '`' && t.compare(pos, 3, "```") == 0) {
      // A fence marker; an opening one may carry an info string ("```json").
      has_fence = true;
      while (pos < n && t[pos] == '`') ++pos;
      if (!in_fence) {
        while (pos < n && extract_internal::IsInfoChar(t[pos])) ++pos;
      }
      in_fence = !in_fence;
      continue;
    }
    if ((c == '{' || c == '[') && LooksLikeJson(t, pos)) {
      const Span span = MatchBrackets(t, pos);
      const std::string_view slice = t.substr(pos, span.end - pos);
      bool valid = false;
      if (span.kind == Bracketed::kComplete) {
        if (!e->found) {
          valid = ParseCapped(slice, span.max_depth > kMaxJsonDepth, &e->value, doc, &e->too_deep);
          if (valid) {
            e->found = true;
            e->begin = pos;
            e->end = span.end;
            e->method = "lenient";
            lead_value = prose || first_failed;
            prose = false;
          }
        } else {
          valid = Accepts(slice);
          multiple = multiple || valid;
        }
      }
      if (!valid) {
        if (e->found) {
          failed_since = true;
        } else {
          if (!first_failed) {
            first_failed = true;
            lead_failed = prose;
            prose = false;
          }
          failures.Add(span.kind == Bracketed::kTruncated ? Drift::kTruncated : Drift::kMalformed);
        }
      }
      pos = span.end;
      // Once every category a found value can add is known, the rest cannot change them.
      if (e->found && multiple && has_fence && (prose || failed_since)) break;
      continue;
    }
    if (!IsSpace(c)) prose = true;
    ++pos;
  }
  if (has_fence) drift->Add(Drift::kCodeFence);
  if (e->found) {
    if (lead_value) drift->Add(Drift::kLeadingText);
    if (prose || failed_since) drift->Add(Drift::kTrailingText);
    if (multiple) drift->Add(Drift::kMultipleJson);
    return;
  }
  if (!first_failed) {
    drift->Add(Drift::kNotJson);
    return;
  }
  if (lead_failed) drift->Add(Drift::kLeadingText);
  if (prose) drift->Add(Drift::kTrailingText);
  if (failures.Has(Drift::kTruncated)) drift->Add(Drift::kTruncated);
  if (failures.Has(Drift::kMalformed)) drift->Add(Drift::kMalformed);
}

Extraction ExtractUnchecked(std::string_view text, bool finish_length, JsonDoc* doc) {
  Extraction e;
  DriftSet drift;
  const std::string_view t = Trim(text);
  if (t.empty()) {
    drift.Add(Drift::kEmpty);
  } else {
    // The bare body: the whole trimmed text is one JSON value (scalars included). Only a
    // text opening with a bracket can nest, and a depth beyond the cap needs more bytes
    // than the cap, so most texts skip the scan.
    const bool deep = (t.front() == '{' || t.front() == '[') &&
                      t.size() > static_cast<std::size_t>(kMaxJsonDepth) &&
                      JsonDepthExceeds(t, kMaxJsonDepth);
    if (ParseCapped(t, deep, &e.value, doc, &e.too_deep)) {
      e.found = true;
      e.method = "strict";
      e.begin = 0;
      e.end = t.size();
    } else {
      Search(t, &e, doc, &drift);
    }
    // Offsets so far are into the trimmed text.
    const auto lead = static_cast<std::size_t>(t.data() - text.data());
    e.begin += lead;
    e.end += lead;
    if (e.found && e.method == "strict") return e;
  }
  if (!e.found && finish_length) drift.Add(Drift::kTruncated);
  e.drift = drift.ToVector();
  return e;
}

}  // namespace

Extraction Extract(std::string_view text, ExtractionMode mode, bool finish_length) {
  return Extract(text, mode, finish_length, nullptr);
}

Extraction Extract(std::string_view text, ExtractionMode mode, bool finish_length, JsonDoc* doc) {
  (void)mode;  // extraction is the same in both modes; DriftFails applies the mode
  try {
    return ExtractUnchecked(text, finish_length, doc);
  } catch (const std::exception&) {
    // Only an allocation failure can get here (the parser runs with exceptions off).
    Extraction e;
    e.drift = {Drift::kMalformed};
    return e;
  }
}

}  // namespace comply
