#include "evaluator/yaml_util.h"

#include <cmath>

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include <yaml-cpp/yaml.h>

#include "evaluator/did_you_mean.h"

namespace comply {
namespace {

using json = nlohmann::json;

Mark ToMark(const YAML::Mark& m) {
  if (m.line < 0) return Mark{};
  return Mark{m.line + 1, m.column + 1};
}

bool IsNullWord(std::string_view s) { return s == "~" || s == "null" || s == "Null" || s == "NULL"; }

bool AllOf(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsOctal(char c) { return c >= '0' && c <= '7'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool IsCoreFloat(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

// YAML 1.2 core schema resolution of a plain scalar. `.inf` and `.nan` stay strings: JSON
// has no such numbers.
json ResolvePlain(const std::string& s) {
  if (s.empty() || IsNullWord(s)) return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  std::string_view v = s;
  bool negative = false;
  std::string_view digits = v;
  if (!v.empty() && (v[0] == '-' || v[0] == '+')) {
    negative = v[0] == '-';
    digits = v.substr(1);
  }
  int base = 0;
  if (AllOf(digits, IsDigit)) {
    base = 10;
  } else if (v.size() > 2 && v.substr(0, 2) == "0o" && AllOf(v.substr(2), IsOctal)) {
    base = 8, digits = v.substr(2);
  } else if (v.size() > 2 && v.substr(0, 2) == "0x" && AllOf(v.substr(2), IsHex)) {
    base = 16, digits = v.substr(2);
  }
  if (base != 0) {
    std::uint64_t u = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), u, base);
    if (ec == std::errc() && p == digits.data() + digits.size()) {
      if (!negative) return u <= static_cast<std::uint64_t>(INT64_MAX) ? json(static_cast<std::int64_t>(u)) : json(u);
      if (u <= static_cast<std::uint64_t>(INT64_MAX) + 1) return json(static_cast<std::int64_t>(0 - u));
    }
    if (base == 10) return std::strtod(s.c_str(), nullptr);  // too large for 64 bits
    return s;
  }
  if (IsCoreFloat(s)) return std::strtod(s.c_str(), nullptr);
  return s;
}

std::string TrimRight(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  return s;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(TrimRight(std::string(text.substr(start, end - start))));
    start = end + 1;
  }
  return lines;
}

class Converter {
 public:
  Converter(YamlDoc* doc, const ParseOptions& options, std::vector<Diagnostic>* problems)
      : doc_(doc), options_(options), problems_(problems) {}

  json Convert(const YAML::Node& node, const std::string& pointer, const std::string& key) {
    doc_->value_marks[pointer] = ToMark(node.Mark());
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        return Scalar(node, pointer);
      case YAML::NodeType::Sequence: {
        json out = json::array();
        std::size_t i = 0;
        for (YAML::Node item : node) {
          out.push_back(Convert(item, ChildPointer(pointer, i), key));
          ++i;
        }
        return out;
      }
      case YAML::NodeType::Map:
        return Map(node, pointer, key);
      default:
        // An empty value (`key:`) has no text of its own and yaml-cpp marks where the next
        // token starts: point at its key instead. `~` and `null` keep their place.
        if (!IsNullText(node.Mark())) doc_->value_marks.erase(pointer);
        return nullptr;
    }
  }

 private:
  bool IsNullText(const YAML::Mark& m) const {
    if (m.line < 0 || static_cast<std::size_t>(m.line) >= doc_->lines.size()) return false;
    const std::string& line = doc_->lines[m.line];
    if (static_cast<std::size_t>(m.column) >= line.size()) return false;
    const std::string_view rest = std::string_view(line).substr(m.column);
    for (std::string_view word : {"~", "null", "Null", "NULL"}) {
      if (rest.substr(0, word.size()) == word) return true;
    }
    return false;
  }

  json Scalar(const YAML::Node& node, const std::string& pointer) {
    const std::string& text = node.Scalar();
    doc_->raw[pointer] = text;
    const std::string& tag = node.Tag();
    const bool plain = tag == "?";
    const bool core = plain || tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
                      tag == "tag:yaml.org,2002:bool" || tag == "tag:yaml.org,2002:null";
    json value = core ? ResolvePlain(text) : json(text);
    if (!value.is_string() || !options_.expand_env) return value;
    if (text.find("${") == std::string::npos && text.find("$${") == std::string::npos) return value;
    if (options_.keep_verbatim && options_.keep_verbatim(pointer)) return value;
    std::string expanded, unset;
    if (!ExpandEnv(text, &expanded, &unset)) {
      problems_->push_back(Diagnostic{doc_->file, ToMark(node.Mark()),
                                      "environment variable \"" + unset + "\" is not set", text,
                                      "set " + unset + ", or give a default: ${" + unset + ":-value}"});
      return value;
    }
    // A plain `${N}` is typed after expansion, as if N's value had been written there.
    return plain ? ResolvePlain(expanded) : json(expanded);
  }

  json Map(const YAML::Node& node, const std::string& pointer, const std::string& key) {
    json out = json::object();
    std::unordered_map<std::string, Mark> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      // Copies: `it->first` lives only as long as the expression that made it.
      const YAML::Node k = it->first;
      const YAML::Node v = it->second;
      if (!k.IsScalar() && !k.IsNull()) {
        if (node.Style() == YAML::EmitterStyle::Flow) {
          // `prompt: {{document}}` is a flow map whose key is another flow map.
          const std::string text = doc_->TextOf(pointer);
          const std::string name = key.empty() ? "value" : key;
          problems_->push_back(Diagnostic{
              doc_->file, ToMark(node.Mark()), "\"" + name + "\" is read as a YAML flow map, not text",
              text, "quote the " + name + ": " + name + ": \"" + text + "\""});
          doc_->raw[pointer] = text;
          return text;
        }
        problems_->push_back(Diagnostic{doc_->file, ToMark(k.Mark()), "a map key must be plain text",
                                        doc_->TextOf(pointer), "write the key as text"});
        continue;
      }
      const std::string name = k.IsScalar() ? k.Scalar() : "";
      const std::string child = ChildPointer(pointer, name);
      const Mark key_mark = ToMark(k.Mark());
      auto [first, inserted] = seen.emplace(name, key_mark);
      if (!inserted) {
        problems_->push_back(Diagnostic{
            doc_->file, key_mark, "duplicate key", name,
            "keep one of them (the first is at line " + std::to_string(first->second.line) + ")"});
        continue;
      }
      doc_->key_marks[child] = key_mark;
      out[name] = Convert(v, child, name);
    }
    return out;
  }

  YamlDoc* doc_;
  const ParseOptions& options_;
  std::vector<Diagnostic>* problems_;
};

}  // namespace

std::string Diagnostic::Where() const {
  std::string w = file;
  if (mark.line > 0) {
    w += ":" + std::to_string(mark.line);
    if (mark.col > 0) w += ":" + std::to_string(mark.col);
  }
  return w;
}

std::string Diagnostic::Message() const {
  std::string m = what;
  if (!text.empty()) m += " — \"" + ShortText(text) + "\"";
  if (!fix.empty()) m += " — " + fix;
  return m;
}

std::string Diagnostic::Format() const { return Where() + ": error: " + Message(); }

std::string JoinDiagnostics(const std::vector<Diagnostic>& problems) {
  std::string out;
  for (const Diagnostic& d : problems) {
    if (!out.empty()) out += '\n';
    out += d.Format();
  }
  return out;
}

void SortDiagnostics(std::vector<Diagnostic>* problems, const std::string& first_file) {
  std::unordered_map<std::string, std::size_t> file_order;
  if (!first_file.empty()) file_order.emplace(first_file, 0);
  for (const Diagnostic& d : *problems) file_order.emplace(d.file, file_order.size());
  std::stable_sort(problems->begin(), problems->end(), [&](const Diagnostic& a, const Diagnostic& b) {
    const std::size_t fa = file_order[a.file], fb = file_order[b.file];
    if (fa != fb) return fa < fb;
    if (a.mark.line != b.mark.line) return a.mark.line < b.mark.line;
    return a.mark.col < b.mark.col;
  });
}

Mark YamlDoc::MarkOf(const std::string& pointer) const {
  std::string p = pointer;
  while (true) {
    if (auto it = value_marks.find(p); it != value_marks.end() && it->second.line > 0) return it->second;
    if (auto it = key_marks.find(p); it != key_marks.end()) return it->second;
    if (p.empty()) return Mark{1, 1};
    p.erase(p.rfind('/'));
  }
}

Mark YamlDoc::KeyMarkOf(const std::string& pointer) const {
  if (auto it = key_marks.find(pointer); it != key_marks.end()) return it->second;
  return MarkOf(pointer);
}

std::string YamlDoc::TextOf(const std::string& pointer) const {
  if (auto it = raw.find(pointer); it != raw.end()) return it->second;
  const Mark m = MarkOf(pointer);
  if (m.line < 1 || static_cast<std::size_t>(m.line) > lines.size()) return "";
  const std::string& line = lines[m.line - 1];
  std::string rest = m.col >= 1 && static_cast<std::size_t>(m.col) <= line.size() ? line.substr(m.col - 1) : "";
  if (std::size_t hash = rest.find(" #"); hash != std::string::npos) rest.erase(hash);
  if (!rest.empty() && (rest[0] == '{' || rest[0] == '[')) {
    // A flow collection: up to its closing bracket when that is on the same line.
    int depth = 0;
    char quote = 0;
    for (std::size_t i = 0; i < rest.size(); ++i) {
      const char c = rest[i];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        return rest.substr(0, i + 1);
      }
    }
  }
  return TrimRight(rest);
}

YamlDoc ParseYamlText(std::string_view text, std::string display, const ParseOptions& options,
                      std::vector<Diagnostic>* problems) {
  YamlDoc doc;
  doc.file = std::move(display);
  doc.lines = SplitLines(text);
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(std::string(text));
    if (docs.empty()) return doc;
    if (docs.size() > 1) {
      problems->push_back(Diagnostic{doc.file, ToMark(docs[1].Mark()),
                                     "the file holds more than one YAML document", "---",
                                     "keep one document per file"});
    }
    Converter converter(&doc, options, problems);
    doc.value = converter.Convert(docs[0], "", "");
  } catch (const YAML::Exception& e) {
    const Mark m = ToMark(e.mark);
    const std::string line = m.line >= 1 && static_cast<std::size_t>(m.line) <= doc.lines.size()
                                 ? doc.lines[m.line - 1]
                                 : "";
    problems->push_back(Diagnostic{doc.file, m, "invalid YAML: " + e.msg, line,
                                   "check the indentation and quoting here"});
    doc.value = nullptr;
  } catch (const std::exception& e) {
    problems->push_back(Diagnostic{doc.file, Mark{}, std::string("invalid YAML: ") + e.what(), "",
                                   "check the file's syntax"});
    doc.value = nullptr;
  }
  return doc;
}

YamlDoc ParseYamlFile(const std::filesystem::path& file, std::string display, const ParseOptions& options,
                      std::vector<Diagnostic>* problems) {
  if (display.empty()) display = file.string();
  std::ifstream in(file, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(file, ec)) {
    problems->push_back(Diagnostic{display, Mark{}, "cannot read the file", "",
                                   "check that the path exists and is a readable file"});
    YamlDoc doc;
    doc.file = display;
    return doc;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseYamlText(buffer.str(), std::move(display), options, problems);
}

bool ExpandEnv(std::string_view in, std::string* out, std::string* unset) {
  out->clear();
  std::size_t i = 0;
  while (i < in.size()) {
    if (in.compare(i, 3, "$${") == 0) {
      *out += "${";
      i += 3;
      continue;
    }
    if (in.compare(i, 2, "${") != 0) {
      *out += in[i++];
      continue;
    }
    const std::size_t close = in.find('}', i + 2);
    if (close == std::string_view::npos) {  // not a reference: keep as written
      *out += in.substr(i);
      break;
    }
    std::string_view body = in.substr(i + 2, close - i - 2);
    std::string_view name = body, fallback;
    bool has_default = false;
    if (std::size_t sep = body.find(":-"); sep != std::string_view::npos) {
      name = body.substr(0, sep);
      fallback = body.substr(sep + 2);
      has_default = true;
    }
    const std::string var(name);
    const char* value = std::getenv(var.c_str());
    if (value != nullptr && (*value != '\0' || !has_default)) {
      *out += value;
    } else if (has_default) {
      *out += fallback;
    } else {
      *unset = var;
      return false;
    }
    i = close + 1;
  }
  return true;
}

Mark MarkAtOffset(std::string_view text, std::size_t offset) {
  Mark m{1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++m.line;
      m.col = 1;
    } else {
      ++m.col;
    }
  }
  return m;
}

std::string ChildPointer(const std::string& pointer, std::string_view key) {
  std::string out = pointer + "/";
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string ChildPointer(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

std::string ShortText(std::string_view text) {
  constexpr std::size_t kMax = 80;
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (out.size() >= kMax && (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      out += "…";
      break;
    }
    if (text[i] == '\n') {
      out += "\\n";
    } else if (text[i] == '\t') {
      out += "\\t";
    } else if (text[i] != '\r') {
      out += text[i];
    }
  }
  return out;
}

std::string JsonTypeName(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "true/false";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "a list";
    case json::value_t::object: return "a map";
    default: return "a number";
  }
}

// ---- FieldReader ----

FieldReader::FieldReader(const YamlDoc& doc, std::string pointer, std::string context,
                         std::vector<Diagnostic>* problems)
    : doc_(doc), pointer_(std::move(pointer)), context_(std::move(context)), problems_(problems) {
  const json* node = nullptr;
  try {
    const json::json_pointer p(pointer_);
    if (doc_.value.contains(p)) node = &doc_.value.at(p);
  } catch (const std::exception&) {
    node = nullptr;
  }
  if (node == nullptr || node->is_null()) return;
  if (!node->is_object()) {
    problems_->push_back(Diagnostic{doc_.file, doc_.MarkOf(pointer_),
                                    context_ + " must be a map, not " + JsonTypeName(*node),
                                    doc_.TextOf(pointer_), "write key: value pairs"});
    return;
  }
  map_ = node;
}

void FieldReader::AllowKeys(const std::vector<std::string>& allowed) {
  if (map_ == nullptr) return;
  for (const auto& [key, value] : map_->items()) {
    bool known = false;
    for (const std::string& a : allowed) known = known || a == key;
    if (known) continue;
    const std::string guess = DidYouMean(key, allowed);
    std::string what = "unknown key \"" + key + "\" in " + context_;
    std::string fix;
    if (!guess.empty()) {
      what += "; did you mean \"" + guess + "\"?";
    } else {
      fix = "allowed keys: ";
      for (std::size_t i = 0; i < allowed.size(); ++i) fix += (i ? ", " : "") + allowed[i];
    }
    problems_->push_back(Diagnostic{doc_.file, doc_.KeyMarkOf(PointerOf(key)), what, "", fix});
  }
}

const json* FieldReader::Get(std::string_view key) const {
  if (map_ == nullptr) return nullptr;
  auto it = map_->find(std::string(key));
  if (it == map_->end() || it->is_null()) return nullptr;
  return &*it;
}

bool FieldReader::Has(std::string_view key) const { return Get(key) != nullptr; }

std::string FieldReader::PointerOf(std::string_view key) const { return ChildPointer(pointer_, key); }

bool FieldReader::Require(std::string_view key, const std::string& fix) {
  if (map_ == nullptr || Has(key)) return map_ != nullptr;
  ErrorAtMap("missing required key \"" + std::string(key) + "\" in " + context_, "", fix);
  return false;
}

void FieldReader::Error(std::string_view key, std::string what, std::string fix) {
  const std::string p = PointerOf(key);
  problems_->push_back(Diagnostic{doc_.file, doc_.MarkOf(p), std::move(what), doc_.TextOf(p), std::move(fix)});
}

void FieldReader::ErrorAtKey(std::string_view key, std::string what, std::string text, std::string fix) {
  problems_->push_back(Diagnostic{doc_.file, doc_.KeyMarkOf(PointerOf(key)), std::move(what),
                                  std::move(text), std::move(fix)});
}

void FieldReader::ErrorAtMap(std::string what, std::string text, std::string fix) {
  problems_->push_back(
      Diagnostic{doc_.file, doc_.MarkOf(pointer_), std::move(what), std::move(text), std::move(fix)});
}

void FieldReader::TypeError(std::string_view key, const std::string& expected) {
  std::string fix;
  if (expected == "a string") {
    fix = "quote the value";
  } else if (expected == "a number" || expected == "a whole number") {
    fix = "write " + expected + " without quotes";
  } else if (expected == "true or false") {
    fix = "write true or false";
  } else if (expected == "a list" || expected == "a list of strings") {
    fix = "write a list: " + std::string(key) + ": [a, b]";
  } else if (expected == "a map") {
    fix = "write key: value pairs under " + std::string(key);
  }
  Error(key, "\"" + std::string(key) + "\" must be " + expected + ", not " + JsonTypeName(*Get(key)), fix);
}

std::optional<std::string> FieldReader::String(std::string_view key) {
  const json* v = Get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    TypeError(key, "a string");
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<bool> FieldReader::Bool(std::string_view key) {
  const json* v = Get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    TypeError(key, "true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

namespace {
std::string NumberText(double d) {
  std::ostringstream os;
  os << d;
  return os.str();
}
std::string RangeFix(double min, double max, bool whole) {
  const std::string kind = whole ? "a whole number" : "a number";
  if (max >= 1e300) return "use " + kind + " >= " + NumberText(min);
  return "use " + kind + " between " + NumberText(min) + " and " + NumberText(max);
}
}  // namespace

std::optional<double> FieldReader::Number(std::string_view key, double min, double max) {
  const json* v = Get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) {
    TypeError(key, "a number");
    return std::nullopt;
  }
  const double d = v->get<double>();
  if (!(d >= min && d <= max)) {
    Error(key, "\"" + std::string(key) + "\" is out of range", RangeFix(min, max, false));
    return std::nullopt;
  }
  return d;
}

std::optional<long long> FieldReader::Integer(std::string_view key, long long min, long long max) {
  const json* v = Get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number_integer() && !(v->is_number_float() && std::floor(v->get<double>()) == v->get<double>())) {
    TypeError(key, "a whole number");
    return std::nullopt;
  }
  const double d = v->get<double>();
  if (!(d >= static_cast<double>(min) && d <= static_cast<double>(max))) {
    Error(key, "\"" + std::string(key) + "\" is out of range",
          RangeFix(static_cast<double>(min), max == LLONG_MAX ? 1e308 : static_cast<double>(max), true));
    return std::nullopt;
  }
  return static_cast<long long>(d);
}

std::optional<std::string> FieldReader::OneOf(std::string_view key, const std::vector<std::string>& choices) {
  std::optional<std::string> s = String(key);
  if (!s) return std::nullopt;
  for (const std::string& c : choices) {
    if (c == *s) return s;
  }
  const std::string guess = DidYouMean(*s, choices);
  std::string fix;
  if (!guess.empty()) {
    fix = "did you mean \"" + guess + "\"?";
  } else {
    fix = "use one of: ";
    for (std::size_t i = 0; i < choices.size(); ++i) fix += (i ? ", " : "") + choices[i];
  }
  Error(key, "invalid value for \"" + std::string(key) + "\"", fix);
  return std::nullopt;
}

std::optional<std::vector<std::string>> FieldReader::StringList(std::string_view key) {
  const json* v = Get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array()) {
    TypeError(key, "a list of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const json& item = (*v)[i];
    const std::string p = ChildPointer(PointerOf(key), i);
    if (item.is_string()) {
      out.push_back(item.get<std::string>());
    } else if (item.is_number() || item.is_boolean()) {
      out.push_back(doc_.TextOf(p));  // `tags: [2024]` means the text 2024
    } else {
      problems_->push_back(Diagnostic{doc_.file, doc_.MarkOf(p),
                                      "items of \"" + std::string(key) + "\" must be strings, not " + JsonTypeName(item),
                                      doc_.TextOf(p), "write each item as text"});
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

bool FieldReader::IsMap(std::string_view key) {
  const json* v = Get(key);
  if (v == nullptr) return false;
  if (!v->is_object()) {
    TypeError(key, "a map");
    return false;
  }
  return true;
}

}  // namespace comply
