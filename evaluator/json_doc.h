#pragma once
// A flat, reusable JSON DOM for the per-response hot path (extraction, schema validation, the
// hallucinated-field walker). One JsonDoc per thread is parsed into again and again: its node,
// member and character arrays keep their capacity, so a response costs no allocation once the
// arrays have grown to the largest response seen.
//
//   thread_local JsonDoc doc;
//   if (doc.Parse(R"({"b": 1, "a": [true, "x"]})")) {
//     JsonRef root = doc.root();
//     JsonRef a = root.find("a");            // !a.valid() when absent
//     for (std::size_t i = 0; i < a.size(); ++i) Use(a.at(i));
//     root.key(0);                           // "a": members are sorted by key
//     nlohmann::json j = root.ToJson();      // the DOM nlohmann::json::parse would build
//   }
//
// Parse accepts exactly what nlohmann::json::parse accepts and builds the same values: the
// same number kinds (non-negative integers unsigned, negative ones signed, an integer that
// overflows 64 bits a double), members sorted by key with the last of duplicate keys kept.
// A fast parser handles the common text; whatever it does not handle (deep nesting, escaped
// keys past the fast path, numbers out of double range, a byte-order mark) is parsed by
// nlohmann and copied in, so acceptance never differs.
//
// A JsonRef points into its JsonDoc: it is valid until the next Parse/Assign/Clear. A JsonDoc
// is single-threaded; const access from several threads is safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace comply {

// Byte-wise (unsigned) three-way comparison of keys, std::map's order; the first bytes decide
// most comparisons without a call.
inline int CompareKeys(std::string_view a, std::string_view b) {
  if (!a.empty() && !b.empty() && a[0] != b[0]) {
    return static_cast<unsigned char>(a[0]) < static_cast<unsigned char>(b[0]) ? -1 : 1;
  }
  return a.compare(b);
}

enum class JsonType : std::uint8_t { kNull, kBool, kInt, kUint, kDouble, kString, kArray, kObject };

class JsonDoc;

class JsonRef {
 public:
  JsonRef() = default;

  bool valid() const { return doc_ != nullptr; }
  JsonType type() const;
  bool is_null() const { return type() == JsonType::kNull; }
  bool is_bool() const { return type() == JsonType::kBool; }
  bool is_integer() const { return type() == JsonType::kInt || type() == JsonType::kUint; }
  bool is_double() const { return type() == JsonType::kDouble; }
  bool is_number() const { return is_integer() || is_double(); }
  bool is_string() const { return type() == JsonType::kString; }
  bool is_array() const { return type() == JsonType::kArray; }
  bool is_object() const { return type() == JsonType::kObject; }

  bool as_bool() const;
  std::int64_t as_int() const;    // kInt; kUint as its two's-complement bits
  std::uint64_t as_uint() const;  // kUint
  double as_double() const;       // any number, converted
  std::string_view as_string() const;

  // Elements of an array, members of an object; 0 for scalars.
  std::size_t size() const;
  // Array element i (i < size()).
  JsonRef at(std::size_t i) const;
  // Object member i (i < size()), in key order.
  std::string_view key(std::size_t i) const;
  JsonRef value(std::size_t i) const;
  // The member named `name`; an invalid ref when absent or when this is not an object.
  JsonRef find(std::string_view name) const;

  // The same value as nlohmann::json.
  nlohmann::json ToJson() const;

 private:
  friend class JsonDoc;
  JsonRef(const JsonDoc* doc, std::uint32_t node) : doc_(doc), node_(node) {}
  const JsonDoc* doc_ = nullptr;
  std::uint32_t node_ = 0;
};

class JsonDoc {
 public:
  // Parses one JSON value (whitespace around it allowed). False, with the document empty,
  // when nlohmann's parser would reject `text`, and for values nested deeper than
  // kMaxJsonDepth (extract.h), which are never built.
  bool Parse(std::string_view text);
  // Copies a nlohmann DOM in.
  void Assign(const nlohmann::json& value);
  void Clear();
  bool empty() const { return nodes_.empty(); }
  // The last Parse read text with no whitespace inside the value (around it is allowed): the
  // value's text is its minified form. False after Assign or a parse nlohmann did.
  bool minified() const { return minified_; }
  // The root value; only when !empty().
  JsonRef root() const { return JsonRef(this, 0); }

 private:
  friend class JsonRef;
  friend class JsonDocParser;

  struct Node {
    union {
      std::int64_t i;
      std::uint64_t u;
      double d;
    } num;
    std::uint32_t a;  // string: offset in chars_; array: first in kids_; object: first in members_
    std::uint32_t b;  // string: length; array / object: count; bool: 0 or 1
    JsonType type;
  };
  struct Member {
    std::uint32_t key_offset;
    std::uint32_t key_length;
    std::uint32_t value;  // node index
  };

  bool ParseFast(std::string_view text);
  std::uint32_t AssignNode(const nlohmann::json& value);
  std::string_view Chars(std::uint32_t offset, std::uint32_t length) const {
    return std::string_view(chars_.data() + offset, length);
  }

  std::vector<Node> nodes_;
  std::vector<std::uint32_t> kids_;
  std::vector<Member> members_;
  std::string chars_;
  // Parse scratch: children of the containers still open.
  std::vector<std::uint32_t> kid_stack_;
  std::vector<Member> member_stack_;
  bool minified_ = false;
};

inline JsonType JsonRef::type() const { return doc_->nodes_[node_].type; }
inline bool JsonRef::as_bool() const { return doc_->nodes_[node_].b != 0; }
inline std::int64_t JsonRef::as_int() const { return doc_->nodes_[node_].num.i; }
inline std::uint64_t JsonRef::as_uint() const { return doc_->nodes_[node_].num.u; }
inline double JsonRef::as_double() const {
  const JsonDoc::Node& n = doc_->nodes_[node_];
  switch (n.type) {
    case JsonType::kInt:
      return static_cast<double>(n.num.i);
    case JsonType::kUint:
      return static_cast<double>(n.num.u);
    case JsonType::kDouble:
      return n.num.d;
    default:
      return 0;
  }
}
inline std::string_view JsonRef::as_string() const {
  const JsonDoc::Node& n = doc_->nodes_[node_];
  return doc_->Chars(n.a, n.b);
}
inline std::size_t JsonRef::size() const {
  const JsonDoc::Node& n = doc_->nodes_[node_];
  return n.type == JsonType::kArray || n.type == JsonType::kObject ? n.b : 0;
}
inline JsonRef JsonRef::at(std::size_t i) const {
  return JsonRef(doc_, doc_->kids_[doc_->nodes_[node_].a + i]);
}
inline std::string_view JsonRef::key(std::size_t i) const {
  const JsonDoc::Member& m = doc_->members_[doc_->nodes_[node_].a + i];
  return doc_->Chars(m.key_offset, m.key_length);
}
inline JsonRef JsonRef::value(std::size_t i) const {
  return JsonRef(doc_, doc_->members_[doc_->nodes_[node_].a + i].value);
}

}  // namespace comply
