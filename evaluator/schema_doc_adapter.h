#pragma once
// Private to the schema validator: a valijson adapter over JsonDoc (json_doc.h), so instances
// are validated straight from the flat DOM the response was parsed into. Modelled on valijson's
// own NlohmannJsonAdapter; include it only where valijson is included (schema_visitor.cc).
//
//   JsonDoc doc; doc.Parse(text);
//   DocAdapter target(doc.root());
//   validator.validate(schema, target, &results);
//
// Numbers keep their kind: signed and unsigned integers are valijson integers, except unsigned
// ones above INT64_MAX, which valijson's int64_t cannot hold: those are shown as doubles (the
// specialised type / minimum / maximum / multipleOf handlers read the exact value via ref()).

#include <cstdint>
#include <iterator>
#include <string>
#include <utility>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/internal/adapter.hpp>
#include <valijson/internal/basic_adapter.hpp>
#include <valijson/internal/frozen_value.hpp>
#include <valijson/internal/optional.hpp>

#include "evaluator/json_doc.h"

namespace comply::schema_internal {

class DocAdapter;
class DocArrayIterator;
class DocMemberIterator;

using DocMember = std::pair<std::string, DocAdapter>;

class DocArray {
 public:
  using const_iterator = DocArrayIterator;
  using iterator = DocArrayIterator;
  DocArray() = default;  // empty
  explicit DocArray(JsonRef ref) : ref_(ref) {}
  DocArrayIterator begin() const;
  DocArrayIterator end() const;
  std::size_t size() const { return ref_.valid() ? ref_.size() : 0; }

 private:
  JsonRef ref_;
};

class DocObject {
 public:
  using const_iterator = DocMemberIterator;
  using iterator = DocMemberIterator;
  DocObject() = default;  // empty
  explicit DocObject(JsonRef ref) : ref_(ref) {}
  DocMemberIterator begin() const;
  DocMemberIterator end() const;
  DocMemberIterator find(const std::string& name) const;
  std::size_t size() const { return ref_.valid() ? ref_.size() : 0; }

 private:
  JsonRef ref_;
};

// What valijson keeps of an instance value (only for enum / const of schemas, which are not
// DocAdapters; kept for completeness): a nlohmann copy.
class DocFrozenValue : public valijson::adapters::FrozenValue {
 public:
  explicit DocFrozenValue(nlohmann::json value) : value_(std::move(value)) {}
  FrozenValue* clone() const override { return new DocFrozenValue(value_); }
  bool equalTo(const valijson::adapters::Adapter& other, bool strict) const override {
    return valijson::adapters::NlohmannJsonAdapter(value_).equalTo(other, strict);
  }

 private:
  nlohmann::json value_;
};

class DocValue {
 public:
  DocValue() = default;
  explicit DocValue(JsonRef ref) : ref_(ref) {}

  JsonRef ref() const { return ref_; }

  valijson::adapters::FrozenValue* freeze() const { return new DocFrozenValue(ref_.ToJson()); }

  opt::optional<DocArray> getArrayOptional() const {
    if (isArray()) return opt::make_optional(DocArray(ref_));
    return {};
  }
  bool getArraySize(std::size_t& result) const {
    if (!isArray()) return false;
    result = ref_.size();
    return true;
  }
  bool getBool(bool& result) const {
    if (!isBool()) return false;
    result = ref_.as_bool();
    return true;
  }
  bool getDouble(double& result) const {
    if (!isDouble()) return false;
    result = ref_.as_double();
    return true;
  }
  bool getInteger(int64_t& result) const {
    if (!isInteger()) return false;
    result = ref_.as_int();
    return true;
  }
  opt::optional<DocObject> getObjectOptional() const {
    if (isObject()) return opt::make_optional(DocObject(ref_));
    return {};
  }
  bool getObjectSize(std::size_t& result) const {
    if (!isObject()) return false;
    result = ref_.size();
    return true;
  }
  bool getString(std::string& result) const {
    if (!isString()) return false;
    result.assign(ref_.as_string());
    return true;
  }
  static bool hasStrictTypes() { return true; }
  bool isArray() const { return ref_.valid() && ref_.is_array(); }
  bool isBool() const { return ref_.valid() && ref_.is_bool(); }
  bool isDouble() const { return ref_.valid() && (ref_.is_double() || BigUnsigned()); }
  bool isInteger() const {
    return ref_.valid() && (ref_.type() == JsonType::kInt || (ref_.type() == JsonType::kUint && !BigUnsigned()));
  }
  bool isNull() const { return ref_.valid() && ref_.is_null(); }
  bool isNumber() const { return ref_.valid() && ref_.is_number(); }
  bool isObject() const { return ref_.valid() && ref_.is_object(); }
  bool isString() const { return ref_.valid() && ref_.is_string(); }

 private:
  bool BigUnsigned() const {
    return ref_.type() == JsonType::kUint && ref_.as_uint() > static_cast<std::uint64_t>(INT64_MAX);
  }
  JsonRef ref_;
};

class DocAdapter : public valijson::adapters::BasicAdapter<DocAdapter, DocArray, DocMember, DocObject, DocValue> {
 public:
  DocAdapter() = default;
  explicit DocAdapter(JsonRef ref) : BasicAdapter(DocValue(ref)), ref_(ref) {}
  JsonRef ref() const { return ref_; }

 private:
  JsonRef ref_;
};

class DocArrayIterator {
 public:
  using iterator_category = std::bidirectional_iterator_tag;
  using value_type = DocAdapter;
  using difference_type = DocAdapter;
  using pointer = DocAdapter*;
  using reference = DocAdapter&;

  DocArrayIterator(JsonRef array, std::size_t i) : array_(array), i_(i) {}
  DocAdapter operator*() const { return DocAdapter(array_.at(i_)); }
  valijson::adapters::DerefProxy<DocAdapter> operator->() const {
    return valijson::adapters::DerefProxy<DocAdapter>(**this);
  }
  bool operator==(const DocArrayIterator& o) const { return i_ == o.i_; }
  bool operator!=(const DocArrayIterator& o) const { return i_ != o.i_; }
  const DocArrayIterator& operator++() {
    ++i_;
    return *this;
  }
  DocArrayIterator operator++(int) {
    DocArrayIterator pre = *this;
    ++i_;
    return pre;
  }
  const DocArrayIterator& operator--() {
    --i_;
    return *this;
  }
  void advance(std::ptrdiff_t n) { i_ = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(i_) + n); }

 private:
  JsonRef array_;
  std::size_t i_;
};

class DocMemberIterator {
 public:
  using iterator_category = std::bidirectional_iterator_tag;
  using value_type = DocMember;
  using difference_type = DocMember;
  using pointer = DocMember*;
  using reference = DocMember&;

  DocMemberIterator(JsonRef object, std::size_t i) : object_(object), i_(i) {}
  DocMember operator*() const { return DocMember(std::string(object_.key(i_)), DocAdapter(object_.value(i_))); }
  valijson::adapters::DerefProxy<DocMember> operator->() const {
    return valijson::adapters::DerefProxy<DocMember>(**this);
  }
  bool operator==(const DocMemberIterator& o) const { return i_ == o.i_; }
  bool operator!=(const DocMemberIterator& o) const { return i_ != o.i_; }
  const DocMemberIterator& operator++() {
    ++i_;
    return *this;
  }
  DocMemberIterator operator++(int) {
    DocMemberIterator pre = *this;
    ++i_;
    return pre;
  }
  const DocMemberIterator& operator--() {
    --i_;
    return *this;
  }
  // Without building the member: the key and the value.
  std::string_view key() const { return object_.key(i_); }
  JsonRef value() const { return object_.value(i_); }

 private:
  JsonRef object_;
  std::size_t i_;
};

inline DocArrayIterator DocArray::begin() const { return DocArrayIterator(ref_, 0); }
inline DocArrayIterator DocArray::end() const { return DocArrayIterator(ref_, size()); }
inline DocMemberIterator DocObject::begin() const { return DocMemberIterator(ref_, 0); }
inline DocMemberIterator DocObject::end() const { return DocMemberIterator(ref_, size()); }
inline DocMemberIterator DocObject::find(const std::string& name) const {
  const std::size_t n = size();
  std::size_t lo = 0, hi = n;
  while (lo < hi) {  // members are sorted by key
    const std::size_t mid = lo + (hi - lo) / 2;
    const int c = CompareKeys(ref_.key(mid), name);
    if (c == 0) return DocMemberIterator(ref_, mid);
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return end();
}

}  // namespace comply::schema_internal

namespace valijson::adapters {
template <>
struct AdapterTraits<comply::schema_internal::DocAdapter> {
  using DocumentType = comply::JsonDoc;
  static std::string adapterName() { return "DocAdapter"; }
};
}  // namespace valijson::adapters
