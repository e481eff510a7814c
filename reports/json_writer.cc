// The "json" format: summary.json, in.summary written as is (pretty-printed, atomically).

#include "evaluator/run_dir.h"
#include "reports/writers.h"

namespace comply {

namespace {

class JsonWriter : public ReportWriter {
 public:
  std::string format() const override { return "json"; }
  Status Write(const ReportInputs& in) const override {
    return WriteJsonFile(in.run_dir / "summary.json", in.summary);
  }
};

}  // namespace

std::unique_ptr<ReportWriter> MakeJsonWriter() { return std::make_unique<JsonWriter>(); }

}  // namespace comply
