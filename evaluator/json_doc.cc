#include "evaluator/json_doc.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <system_error>

#include "evaluator/extract.h"
#include "evaluator/json_depth.h"
#include "evaluator/json_scan.h"

namespace comply {

// The fast path: RFC 8259 JSON as nlohmann's lexer reads it. Anything it is not sure of makes
// it fail; JsonDoc::Parse then asks nlohmann.
class JsonDocParser {
 public:
  JsonDocParser(JsonDoc* doc, std::string_view text) : doc_(doc), p_(text.data()), end_(text.data() + text.size()) {}

  bool Run() {
    SkipSpace();
    if (!Value(0)) return false;
    SkipSpace();
    return p_ == end_;
  }

  // Whitespace was skipped inside the value (between the tokens of a container).
  bool spaced() const { return spaced_; }

 private:
  using Node = JsonDoc::Node;
  using Member = JsonDoc::Member;

  static bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  void SkipSpace() {
    while (p_ < end_ && IsSpace(*p_)) ++p_;
  }
  // SkipSpace inside a container: notes that the text is not minified.
  void SkipInner() {
    if (p_ < end_ && IsSpace(*p_)) {
      spaced_ = true;
      SkipSpace();
    }
  }
  bool Literal(const char* word, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
    p_ += n;
    return true;
  }
  std::uint32_t NewNode(JsonType type) {
    doc_->nodes_.push_back(Node{{0}, 0, 0, type});
    return static_cast<std::uint32_t>(doc_->nodes_.size() - 1);
  }

  bool Value(int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{':
        return Object(depth + 1);
      case '[':
        return Array(depth + 1);
      case '"': {
        const std::uint32_t n = NewNode(JsonType::kString);
        std::uint32_t offset = 0, length = 0;
        if (!String(&offset, &length)) return false;
        doc_->nodes_[n].a = offset;
        doc_->nodes_[n].b = length;
        return true;
      }
      case 't':
        if (!Literal("true", 4)) return false;
        doc_->nodes_[NewNode(JsonType::kBool)].b = 1;
        return true;
      case 'f':
        if (!Literal("false", 5)) return false;
        NewNode(JsonType::kBool);
        return true;
      case 'n':
        if (!Literal("null", 4)) return false;
        NewNode(JsonType::kNull);
        return true;
      default:
        return Number();
    }
  }

  bool Array(int depth) {
    if (depth > kMaxJsonDepth) return false;
    ++p_;  // '['
    const std::uint32_t n = NewNode(JsonType::kArray);
    std::vector<std::uint32_t>& stack = doc_->kid_stack_;
    const std::size_t mark = stack.size();
    SkipInner();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
    } else {
      for (;;) {
        stack.push_back(static_cast<std::uint32_t>(doc_->nodes_.size()));
        if (!Value(depth)) return false;
        SkipInner();
        if (p_ == end_) return false;
        if (*p_ == ',') {
          ++p_;
          SkipInner();
          continue;
        }
        if (*p_ != ']') return false;
        ++p_;
        break;
      }
    }
    std::vector<std::uint32_t>& kids = doc_->kids_;
    doc_->nodes_[n].a = static_cast<std::uint32_t>(kids.size());
    doc_->nodes_[n].b = static_cast<std::uint32_t>(stack.size() - mark);
    kids.insert(kids.end(), stack.begin() + static_cast<std::ptrdiff_t>(mark), stack.end());
    stack.resize(mark);
    return true;
  }

  bool Object(int depth) {
    if (depth > kMaxJsonDepth) return false;
    ++p_;  // '{'
    const std::uint32_t n = NewNode(JsonType::kObject);
    std::vector<Member>& stack = doc_->member_stack_;
    const std::size_t mark = stack.size();
    SkipInner();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
    } else {
      for (;;) {
        if (p_ == end_ || *p_ != '"') return false;
        Member m{0, 0, 0};
        if (!String(&m.key_offset, &m.key_length)) return false;
        SkipInner();
        if (p_ == end_ || *p_ != ':') return false;
        ++p_;
        SkipInner();
        m.value = static_cast<std::uint32_t>(doc_->nodes_.size());
        stack.push_back(m);
        if (!Value(depth)) return false;
        SkipInner();
        if (p_ == end_) return false;
        if (*p_ == ',') {
          ++p_;
          SkipInner();
          continue;
        }
        if (*p_ != '}') return false;
        ++p_;
        break;
      }
    }
    SortMembers(mark);
    std::vector<Member>& members = doc_->members_;
    doc_->nodes_[n].a = static_cast<std::uint32_t>(members.size());
    doc_->nodes_[n].b = static_cast<std::uint32_t>(stack.size() - mark);
    members.insert(members.end(), stack.begin() + static_cast<std::ptrdiff_t>(mark), stack.end());
    stack.resize(mark);
    return true;
  }

  // Sorts the open object's members by key (std::map's order: bytes compared unsigned) and
  // keeps the last of equal keys, as nlohmann's parser does.
  void SortMembers(std::size_t mark) {
    std::vector<Member>& s = doc_->member_stack_;
    auto key = [&](const Member& m) { return doc_->Chars(m.key_offset, m.key_length); };
    // Insertion sort: stable, and objects in responses are small.
    for (std::size_t i = mark + 1; i < s.size(); ++i) {
      const Member m = s[i];
      const std::string_view k = key(m);
      std::size_t j = i;
      while (j > mark && CompareKeys(key(s[j - 1]), k) > 0) {
        s[j] = s[j - 1];
        --j;
      }
      s[j] = m;
    }
    std::size_t out = mark;
    for (std::size_t i = mark; i < s.size(); ++i) {
      if (i + 1 < s.size() && key(s[i + 1]) == key(s[i])) continue;  // a later duplicate wins
      s[out++] = s[i];
    }
    s.resize(out);
  }

  // Reads a string literal at p_ into the doc's characters.
  bool String(std::uint32_t* offset, std::uint32_t* length) {
    ++p_;  // '"'
    std::string& chars = doc_->chars_;
    *offset = static_cast<std::uint32_t>(chars.size());
    for (;;) {
      const std::size_t run = json_scan::CleanRun(p_, static_cast<std::size_t>(end_ - p_));
      chars.append(p_, run);
      p_ += run;
      if (p_ == end_) return false;
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        *length = static_cast<std::uint32_t>(chars.size() - *offset);
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        std::size_t consumed = 0;
        const std::string_view rest(p_, static_cast<std::size_t>(end_ - p_));
        const std::size_t len = json_scan::Utf8Sequence(rest, 0, &consumed);
        if (len == 0) return false;
        chars.append(p_, len);
        p_ += len;
        continue;
      }
      // An escape.
      if (end_ - p_ < 2) return false;
      const char e = p_[1];
      p_ += 2;
      switch (e) {
        case '"': chars.push_back('"'); break;
        case '\\': chars.push_back('\\'); break;
        case '/': chars.push_back('/'); break;
        case 'b': chars.push_back('\b'); break;
        case 'f': chars.push_back('\f'); break;
        case 'n': chars.push_back('\n'); break;
        case 'r': chars.push_back('\r'); break;
        case 't': chars.push_back('\t'); break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // lone low surrogate
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t lo = 0;
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
            p_ += 2;
            if (!Hex4(&lo) || lo < 0xDC00 || lo > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          json_scan::AppendUtf8(cp, &chars);
          break;
        }
        default:
          return false;
      }
    }
  }

  bool Hex4(std::uint32_t* v) {
    if (end_ - p_ < 4) return false;
    std::uint32_t x = 0;
    for (int k = 0; k < 4; ++k) {
      const int h = json_scan::HexValue(p_[k]);
      if (h < 0) return false;
      x = (x << 4) | static_cast<std::uint32_t>(h);
    }
    p_ += 4;
    *v = x;
    return true;
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? — integers as nlohmann stores them.
  bool Number() {
    const char* start = p_;
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    auto digit = [&] { return p_ < end_ && *p_ >= '0' && *p_ <= '9'; };
    if (!digit()) return false;
    std::uint64_t magnitude = 0;
    bool overflow = false;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (digit()) {
        const auto d = static_cast<std::uint64_t>(*p_ - '0');
        if (magnitude > (UINT64_MAX - d) / 10) overflow = true;
        magnitude = magnitude * 10 + d;
        ++p_;
      }
    }
    bool integer = true;
    if (p_ < end_ && *p_ == '.') {
      integer = false;
      ++p_;
      if (!digit()) return false;
      while (digit()) ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      integer = false;
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digit()) return false;
      while (digit()) ++p_;
    }
    if (integer && !overflow) {
      if (!negative) {
        const std::uint32_t n = NewNode(JsonType::kUint);
        doc_->nodes_[n].num.u = magnitude;
        return true;
      }
      if (magnitude <= static_cast<std::uint64_t>(INT64_MAX) + 1) {
        const std::uint32_t n = NewNode(JsonType::kInt);
        doc_->nodes_[n].num.i = static_cast<std::int64_t>(0 - magnitude);
        return true;
      }
    }
    double d = 0;
    const auto r = std::from_chars(start, p_, d);
    if (r.ec != std::errc() || r.ptr != p_ || !std::isfinite(d)) return false;
    const std::uint32_t n = NewNode(JsonType::kDouble);
    doc_->nodes_[n].num.d = d;
    return true;
  }

  JsonDoc* doc_;
  const char* p_;
  const char* end_;
  bool spaced_ = false;
};

void JsonDoc::Clear() {
  minified_ = false;
  nodes_.clear();
  kids_.clear();
  members_.clear();
  chars_.clear();
  kid_stack_.clear();
  member_stack_.clear();
}

bool JsonDoc::ParseFast(std::string_view text) {
  Clear();
  // Unescaped strings are never longer than their literals: one reservation holds them all.
  chars_.reserve(text.size());
  JsonDocParser parser(this, text);
  if (parser.Run()) {
    minified_ = !parser.spaced();
    return true;
  }
  Clear();
  return false;
}

bool JsonDoc::Parse(std::string_view text) {
  if (ParseFast(text)) return true;
  // Deeper than the cap: not built (AssignNode recurses), whether valid or not.
  if (JsonDepthExceeds(text, kMaxJsonDepth)) return false;
  nlohmann::json j = nlohmann::json::parse(text.data(), text.data() + text.size(), nullptr, false);
  if (j.is_discarded()) return false;
  Assign(j);
  return true;
}

void JsonDoc::Assign(const nlohmann::json& value) {
  Clear();
  AssignNode(value);
}

std::uint32_t JsonDoc::AssignNode(const nlohmann::json& v) {
  const auto n = static_cast<std::uint32_t>(nodes_.size());
  nodes_.push_back(Node{{0}, 0, 0, JsonType::kNull});
  switch (v.type()) {
    case nlohmann::json::value_t::boolean:
      nodes_[n].type = JsonType::kBool;
      nodes_[n].b = v.get<bool>() ? 1 : 0;
      break;
    case nlohmann::json::value_t::number_integer:
      nodes_[n].type = JsonType::kInt;
      nodes_[n].num.i = v.get<std::int64_t>();
      break;
    case nlohmann::json::value_t::number_unsigned:
      nodes_[n].type = JsonType::kUint;
      nodes_[n].num.u = v.get<std::uint64_t>();
      break;
    case nlohmann::json::value_t::number_float:
      nodes_[n].type = JsonType::kDouble;
      nodes_[n].num.d = v.get<double>();
      break;
    case nlohmann::json::value_t::string: {
      const std::string& s = v.get_ref<const std::string&>();
      nodes_[n].type = JsonType::kString;
      nodes_[n].a = static_cast<std::uint32_t>(chars_.size());
      nodes_[n].b = static_cast<std::uint32_t>(s.size());
      chars_ += s;
      break;
    }
    case nlohmann::json::value_t::array: {
      std::vector<std::uint32_t> kids;
      kids.reserve(v.size());
      for (const nlohmann::json& e : v) kids.push_back(AssignNode(e));
      nodes_[n].type = JsonType::kArray;
      nodes_[n].a = static_cast<std::uint32_t>(kids_.size());
      nodes_[n].b = static_cast<std::uint32_t>(kids.size());
      kids_.insert(kids_.end(), kids.begin(), kids.end());
      break;
    }
    case nlohmann::json::value_t::object: {
      std::vector<Member> members;
      members.reserve(v.size());
      for (auto it = v.begin(); it != v.end(); ++it) {
        Member m{static_cast<std::uint32_t>(chars_.size()), static_cast<std::uint32_t>(it.key().size()), 0};
        chars_ += it.key();
        m.value = AssignNode(it.value());
        members.push_back(m);
      }
      nodes_[n].type = JsonType::kObject;
      nodes_[n].a = static_cast<std::uint32_t>(members_.size());
      nodes_[n].b = static_cast<std::uint32_t>(members.size());
      members_.insert(members_.end(), members.begin(), members.end());
      break;
    }
    default:  // null, discarded, binary
      break;
  }
  return n;
}

JsonRef JsonRef::find(std::string_view name) const {
  const JsonDoc::Node& n = doc_->nodes_[node_];
  if (n.type != JsonType::kObject) return JsonRef();
  // Binary search over the sorted members.
  std::uint32_t lo = n.a, hi = n.a + n.b;
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    const JsonDoc::Member& m = doc_->members_[mid];
    const int c = CompareKeys(doc_->Chars(m.key_offset, m.key_length), name);
    if (c == 0) return JsonRef(doc_, m.value);
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return JsonRef();
}

nlohmann::json JsonRef::ToJson() const {
  switch (type()) {
    case JsonType::kNull:
      return nullptr;
    case JsonType::kBool:
      return as_bool();
    case JsonType::kInt:
      return as_int();
    case JsonType::kUint:
      return as_uint();
    case JsonType::kDouble:
      return as_double();
    case JsonType::kString:
      return std::string(as_string());
    case JsonType::kArray: {
      nlohmann::json a = nlohmann::json::array();
      a.get_ref<nlohmann::json::array_t&>().reserve(size());
      for (std::size_t i = 0; i < size(); ++i) a.push_back(at(i).ToJson());
      return a;
    }
    case JsonType::kObject: {
      nlohmann::json o = nlohmann::json::object();
      auto& map = o.get_ref<nlohmann::json::object_t&>();
      for (std::size_t i = 0; i < size(); ++i) map.emplace_hint(map.end(), std::string(key(i)), value(i).ToJson());
      return o;
    }
  }
  return nullptr;
}

}  // namespace comply
