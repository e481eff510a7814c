#include "evaluator/text_template.h"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include <re2/re2.h>

#include "evaluator/rules_text.h"

namespace comply {

namespace {

using rules_internal::Quote;
using rules_internal::TrimAscii;

struct CompiledSection {
  std::string name;
  bool optional = false;
  std::unique_ptr<const re2::RE2> heading;
  std::unique_ptr<const re2::RE2> body;  // null: any body
};

// Template indices of `order` (text order) that are not in one longest strictly increasing
// subsequence: the sections that are out of order. Patience sorting, O(k log k).
std::vector<bool> OutOfOrder(const std::vector<int>& order) {
  const std::size_t k = order.size();
  std::vector<std::size_t> tails;            // position in `order` ending each length's best run
  std::vector<std::size_t> prev(k, SIZE_MAX);
  for (std::size_t i = 0; i < k; ++i) {
    auto it = std::lower_bound(tails.begin(), tails.end(), order[i],
                               [&](std::size_t t, int v) { return order[t] < v; });
    if (it != tails.begin()) prev[i] = *(it - 1);
    if (it == tails.end()) {
      tails.push_back(i);
    } else {
      *it = i;
    }
  }
  std::vector<bool> out(k, true);
  if (!tails.empty()) {
    for (std::size_t i = tails.back(); i != SIZE_MAX; i = prev[i]) out[i] = false;
  }
  return out;
}

class CompiledTemplateImpl final : public CompiledTemplate {
 public:
  CompiledTemplateImpl(std::vector<CompiledSection> sections,
                       std::unique_ptr<const re2::RE2> extra, bool allow_extra)
      : sections_(std::move(sections)), extra_(std::move(extra)), allow_extra_(allow_extra) {}

  TemplateOutcome Check(std::string_view text) const override {
    const std::size_t n = sections_.size();
    std::vector<std::size_t> body_begin(n, 0);
    std::vector<std::size_t> body_end(n, 0);
    std::vector<bool> found(n, false);
    std::vector<int> order;  // template index of each found section, in text order
    TemplateOutcome out;
    int current = -1;  // the section whose body is being read; -1 none (preamble or extra)
    std::size_t pos = 0;
    while (pos <= text.size()) {
      std::size_t eol = text.find('\n', pos);
      if (eol == std::string_view::npos) eol = text.size();
      const std::string_view line = TrimAscii(text.substr(pos, eol - pos));
      const std::size_t next = eol + 1;
      bool heading = false;
      bool duplicate = false;
      for (std::size_t s = 0; s < n && !line.empty(); ++s) {
        if (!re2::RE2::FullMatch(line, *sections_[s].heading)) continue;
        if (found[s]) {
          duplicate = true;  // a section seen again: an extra one, unless a later one fits
          continue;
        }
        if (current >= 0) body_end[current] = pos;
        found[s] = true;
        order.push_back(static_cast<int>(s));
        current = static_cast<int>(s);
        body_begin[s] = std::min(next, text.size());
        heading = true;
        break;
      }
      if (!heading && !line.empty() &&
          (duplicate || (extra_ != nullptr && re2::RE2::FullMatch(line, *extra_)))) {
        if (current >= 0) body_end[current] = pos;
        current = -1;
        if (!allow_extra_) out.extra.emplace_back(line);
      }
      pos = next;
    }
    if (current >= 0) body_end[current] = text.size();

    const std::vector<bool> late = OutOfOrder(order);
    std::vector<bool> is_late(n, false);
    for (std::size_t i = 0; i < order.size(); ++i) is_late[order[i]] = late[i];
    bool required = false;
    for (std::size_t s = 0; s < n; ++s) {
      const CompiledSection& sec = sections_[s];
      required = required || !sec.optional;
      if (!found[s]) {
        if (!sec.optional) out.missing.push_back(sec.name);
        continue;
      }
      if (is_late[s]) out.out_of_order.push_back(sec.name);
      if (sec.body != nullptr) {
        const std::string_view body =
            text.substr(body_begin[s], std::max(body_end[s], body_begin[s]) - body_begin[s]);
        if (!re2::RE2::PartialMatch(body, *sec.body)) out.body_mismatch.push_back(sec.name);
      }
    }
    const std::size_t drift = out.missing.size() + out.extra.size() + out.out_of_order.size() +
                              out.body_mismatch.size();
    const std::size_t denominator = n + out.extra.size();
    if (order.empty() && required) {
      out.drift_score = 1.0;  // nothing of the template matched
    } else if (denominator > 0) {
      out.drift_score = std::min(1.0, static_cast<double>(drift) / static_cast<double>(denominator));
    }
    return out;
  }

 private:
  std::vector<CompiledSection> sections_;
  std::unique_ptr<const re2::RE2> extra_;
  bool allow_extra_ = false;
};

// Compiles `pattern` or fails naming the template's place and what the pattern is for.
Result<std::unique_ptr<const re2::RE2>> CompilePattern(const TemplateSpec& spec,
                                                       const std::string& what,
                                                       const std::string& pattern) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto re =
      std::make_unique<const re2::RE2>(rules_internal::TranslateNamedGroups(pattern), options);
  if (!re->ok()) {
    return InvalidInput((spec.where.empty() ? "" : spec.where + ": ") + "template: " + what +
                        ": invalid pattern " + Quote(pattern, 200) + ": " + re->error());
  }
  return re;
}

}  // namespace

Result<std::shared_ptr<const CompiledTemplate>> CompiledTemplate::Compile(
    const TemplateSpec& spec) {
  try {
    std::vector<CompiledSection> sections;
    for (const TemplateSectionSpec& s : spec.sections) {
      CompiledSection c;
      c.name = s.name;
      c.optional = s.optional;
      auto heading = CompilePattern(spec, "section \"" + s.name + "\" heading", s.heading);
      if (!heading.ok()) return heading.error();
      c.heading = std::move(heading.value());
      if (!s.body.empty()) {
        auto body = CompilePattern(spec, "section \"" + s.name + "\" body", s.body);
        if (!body.ok()) return body.error();
        c.body = std::move(body.value());
      }
      sections.push_back(std::move(c));
    }
    std::unique_ptr<const re2::RE2> extra;
    if (!spec.extra_heading.empty()) {
      auto re = CompilePattern(spec, "extra_heading", spec.extra_heading);
      if (!re.ok()) return re.error();
      extra = std::move(re.value());
    }
    return std::shared_ptr<const CompiledTemplate>(std::make_shared<CompiledTemplateImpl>(
        std::move(sections), std::move(extra), spec.allow_extra));
  } catch (const std::exception& e) {
    return Error{ErrorCode::kInternal, std::string("compiling template: ") + e.what()};
  }
}

}  // namespace comply
