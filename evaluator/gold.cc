#include "evaluator/gold.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "evaluator/json_pointer.h"

namespace comply {

namespace {

using nlohmann::json;

const char* KindName(MatchSpec::Kind k) {
  switch (k) {
    case MatchSpec::Kind::kExact:
      return "exact";
    case MatchSpec::Kind::kNormalized:
      return "normalized";
    case MatchSpec::Kind::kNumeric:
      return "numeric";
    case MatchSpec::Kind::kSet:
      return "set";
  }
  return "exact";
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Yields a string's characters trimmed, with whitespace runs as one space and ASCII letters
// lower-cased, without building the normalized copy.
class NormalizedCursor {
 public:
  explicit NormalizedCursor(std::string_view s) : s_(s) {
    while (i_ < s_.size() && IsAsciiSpace(s_[i_])) ++i_;
  }
  // The next character, or '\0' with *done set at the end.
  char Next(bool* done) {
    *done = false;
    if (i_ >= s_.size()) {
      *done = true;
      return '\0';
    }
    if (IsAsciiSpace(s_[i_])) {
      while (i_ < s_.size() && IsAsciiSpace(s_[i_])) ++i_;
      if (i_ >= s_.size()) {  // trailing whitespace is trimmed
        *done = true;
        return '\0';
      }
      return ' ';
    }
    const char c = s_[i_++];
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

bool NormalizedEqual(std::string_view a, std::string_view b) {
  NormalizedCursor ca(a);
  NormalizedCursor cb(b);
  for (;;) {
    bool done_a = false;
    bool done_b = false;
    const char x = ca.Next(&done_a);
    const char y = cb.Next(&done_b);
    if (done_a || done_b) return done_a && done_b;
    if (x != y) return false;
  }
}

// Arrays as multisets: sort both sides by JSON order and compare element-wise (1 and 1.0
// are equal and sort together).
bool MultisetEqual(const json& a, const json& b) {
  if (a.size() != b.size()) return false;
  std::vector<const json*> x;
  std::vector<const json*> y;
  x.reserve(a.size());
  y.reserve(b.size());
  for (const json& v : a) x.push_back(&v);
  for (const json& v : b) y.push_back(&v);
  auto less = [](const json* p, const json* q) { return *p < *q; };
  std::sort(x.begin(), x.end(), less);
  std::sort(y.begin(), y.end(), less);
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!(*x[i] == *y[i])) return false;
  }
  return true;
}

bool Matches(const MatchSpec& spec, const json& expected, const json& actual) {
  switch (spec.kind) {
    case MatchSpec::Kind::kNormalized:
      if (expected.is_string() && actual.is_string()) {
        return NormalizedEqual(expected.get_ref<const std::string&>(),
                               actual.get_ref<const std::string&>());
      }
      break;
    case MatchSpec::Kind::kNumeric:
      if (expected.is_number()) {
        // A numeric string in the answer is not a number: the schema's type matters.
        return actual.is_number() &&
               std::fabs(actual.get<double>() - expected.get<double>()) <= spec.tolerance;
      }
      break;
    case MatchSpec::Kind::kSet:
      if (expected.is_array() && actual.is_array()) return MultisetEqual(expected, actual);
      break;
    case MatchSpec::Kind::kExact:
      break;
  }
  return expected == actual;
}

bool HasKeyBelow(const std::map<std::string, MatchSpec>& match, const std::string& pointer) {
  const std::string prefix = pointer + "/";
  auto it = match.lower_bound(prefix);
  return it != match.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

// Walks `expected`, keeping the exact pointer and the one with walked array indices as `*`.
class GoldWalker {
 public:
  GoldWalker(const std::map<std::string, MatchSpec>& match, std::vector<FieldMatch>* out)
      : match_(match), out_(out) {}

  void Walk(const json& expected, const json* actual, bool root) {
    if (expected.is_object() && (root || !expected.empty())) {
      for (auto it = expected.begin(); it != expected.end(); ++it) {
        const json* child = nullptr;
        if (actual != nullptr && actual->is_object()) {
          auto found = actual->find(it.key());
          if (found != actual->end()) child = &*found;
        }
        const std::size_t p = pointer_.size();
        const std::size_t w = wildcard_.size();
        AppendPointerToken(it.key(), &pointer_);
        AppendPointerToken(it.key(), &wildcard_);
        Walk(*it, child, false);
        pointer_.resize(p);
        wildcard_.resize(w);
      }
      return;
    }
    // An array is a leaf unless the match map names something inside it
    // ("/line_items/*/amount"): then its elements are compared index by index.
    if (expected.is_array() && !expected.empty() && !match_.empty() &&
        (HasKeyBelow(match_, pointer_) || HasKeyBelow(match_, wildcard_))) {
      for (std::size_t i = 0; i < expected.size(); ++i) {
        const json* child = nullptr;
        if (actual != nullptr && actual->is_array() && i < actual->size()) child = &(*actual)[i];
        const std::size_t p = pointer_.size();
        const std::size_t w = wildcard_.size();
        AppendPointerIndex(i, &pointer_);
        wildcard_.append("/*");
        Walk(expected[i], child, false);
        pointer_.resize(p);
        wildcard_.resize(w);
      }
      return;
    }
    Leaf(expected, actual);
  }

 private:
  void Leaf(const json& expected, const json* actual) {
    MatchSpec spec;
    auto it = match_.find(pointer_);
    if (it == match_.end() && wildcard_ != pointer_) it = match_.find(wildcard_);
    if (it != match_.end()) spec = it->second;
    FieldMatch m;
    m.path = pointer_;
    m.kind = KindName(spec.kind);
    m.expected = expected;
    // A missing field is a miss, whatever is expected (even null).
    m.match = actual != nullptr && Matches(spec, expected, *actual);
    if (actual != nullptr) m.actual = *actual;
    out_->push_back(std::move(m));
  }

  const std::map<std::string, MatchSpec>& match_;
  std::vector<FieldMatch>* out_;
  std::string pointer_;
  std::string wildcard_;
};

}  // namespace

std::vector<FieldMatch> CompareGold(const json& expected, const json* actual,
                                    const std::map<std::string, MatchSpec>& match) {
  std::vector<FieldMatch> out;
  GoldWalker walker(match, &out);
  walker.Walk(expected, actual, /*root=*/true);
  return out;
}

}  // namespace comply
