#include "evaluator/schema.h"

#include "evaluator/schema_compile.h"
#include "evaluator/schema_prepass.h"
#include "evaluator/schema_visitor.h"
#include "evaluator/schema_walker.h"

namespace comply {
namespace {

using schema_internal::SchemaWalker;
using schema_internal::ValijsonSchema;

class CompiledSchemaImpl final : public CompiledSchema {
 public:
  CompiledSchemaImpl(std::unique_ptr<SchemaWalker> walker, std::unique_ptr<ValijsonSchema> validator)
      : walker_(std::move(walker)), validator_(std::move(validator)) {}

  bool Validate(JsonRef instance, std::vector<SchemaError>* errors) const override {
    // valijson first (fast path without error bookkeeping inside), then the walker's
    // unevaluatedProperties, which valijson does not know.
    bool ok = validator_->Validate(0, instance, errors, "");
    if (walker_->has_unevaluated()) {
      try {
        ok = walker_->CheckUnevaluated(instance, *validator_, errors) && ok;
      } catch (const std::exception& e) {
        if (errors) errors->push_back({"", "validation", std::string("validation failed: ") + e.what()});
        ok = false;
      }
    }
    return ok;
  }

  bool ValidMeansNoHallucinatedFields() const override { return walker_->ValidMeansDeclared(); }

  void FindHallucinatedFields(JsonRef instance, std::vector<std::string>* pointers) const override {
    try {
      walker_->FindHallucinated(instance, *validator_, pointers);
    } catch (const std::exception&) {
      // Only allocation failure can throw here; the walk reports what it found so far.
    }
  }

 private:
  std::unique_ptr<SchemaWalker> walker_;
  std::unique_ptr<ValijsonSchema> validator_;
};

}  // namespace

namespace schema_internal {

Result<std::shared_ptr<const CompiledSchema>> CompileSchemaWithOptions(const nlohmann::json& schema,
                                                                       const std::filesystem::path& base_dir,
                                                                       std::string_view source,
                                                                       const PrepassOptions& options) {
  auto prepassed = Prepass(schema, base_dir, source, options);
  if (!prepassed.ok()) return prepassed.error();
  auto walker = SchemaWalker::Build(*prepassed, source);
  if (!walker.ok()) return walker.error();
  auto validator = ValijsonSchema::Build(*prepassed, (*walker)->Probes(), source);
  if (!validator.ok()) return validator.error();
  return std::shared_ptr<const CompiledSchema>(
      std::make_shared<CompiledSchemaImpl>(std::move(*walker), std::move(*validator)));
}

}  // namespace schema_internal

bool CompiledSchema::Validate(const nlohmann::json& instance, std::vector<SchemaError>* errors) const {
  JsonDoc doc;
  doc.Assign(instance);
  return Validate(doc.root(), errors);
}

void CompiledSchema::FindHallucinatedFields(const nlohmann::json& instance, std::vector<std::string>* pointers) const {
  JsonDoc doc;
  doc.Assign(instance);
  FindHallucinatedFields(doc.root(), pointers);
}

Result<std::shared_ptr<const CompiledSchema>> CompiledSchema::Compile(const nlohmann::json& schema,
                                                                      const std::filesystem::path& base_dir,
                                                                      std::string_view source) {
  return schema_internal::CompileSchemaWithOptions(schema, base_dir, source, {});
}

std::string WildcardPointer(std::string_view pointer, const nlohmann::json& instance) {
  std::string out;
  out.reserve(pointer.size());
  const nlohmann::json* at = &instance;
  size_t pos = 0;
  while (pos < pointer.size() && pointer[pos] == '/') {
    size_t next = pointer.find('/', pos + 1);
    std::string_view raw = pointer.substr(pos + 1, next == std::string_view::npos ? next : next - pos - 1);
    out += '/';
    if (at != nullptr && at->is_array()) {
      out += '*';
      size_t index = 0;
      bool digits = !raw.empty();
      for (char c : raw) {
        digits = digits && c >= '0' && c <= '9';
        if (digits) index = index * 10 + static_cast<size_t>(c - '0');
      }
      at = digits && index < at->size() ? &(*at)[index] : nullptr;
    } else {
      out += raw;
      if (at != nullptr && at->is_object()) {
        std::string key;
        for (size_t i = 0; i < raw.size(); ++i) {
          if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
            key += raw[i + 1] == '0' ? '~' : '/';
            ++i;
          } else {
            key += raw[i];
          }
        }
        auto it = at->find(key);
        at = it == at->end() ? nullptr : &*it;
      } else {
        at = nullptr;
      }
    }
    if (next == std::string_view::npos) break;
    pos = next;
  }
  return out;
}

}  // namespace comply
