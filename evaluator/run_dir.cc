#include "evaluator/run_dir.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

namespace comply {

namespace fs = std::filesystem;

std::string UtcNowIso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

fs::path DefaultRunDir() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  fs::path base = fs::path("runs") / buf;
  fs::path p = base;
  for (int i = 2; fs::exists(p); ++i) p = base.string() + "-" + std::to_string(i);
  return p;
}

ResultsWriter::~ResultsWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

Result<std::unique_ptr<ResultsWriter>> ResultsWriter::Open(const fs::path& path, bool append) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  if (ec) return IoError("cannot create folder " + path.parent_path().string() + ": " + ec.message());
  std::FILE* f = std::fopen(path.c_str(), append ? "ab" : "wb");
  if (f == nullptr) return IoError("cannot open " + path.string() + ": " + std::strerror(errno));
  // A large buffer: lines go out in big writes; Flush() pushes them to the OS.
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  return std::unique_ptr<ResultsWriter>(new ResultsWriter(f, path));
}

Status ResultsWriter::Append(std::string_view line) {
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() ||
      std::fputc('\n', file_) == EOF) {
    return IoError("cannot write " + path_.string() + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Status ResultsWriter::AppendLines(std::string_view lines) {
  if (std::fwrite(lines.data(), 1, lines.size(), file_) != lines.size()) {
    return IoError("cannot write " + path_.string() + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Status ResultsWriter::Flush() {
  if (std::fflush(file_) != 0) {
    return IoError("cannot write " + path_.string() + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Status WriteTextFile(const fs::path& path, std::string_view text) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) return IoError("cannot write " + tmp.string());
  }
  fs::rename(tmp, path, ec);
  if (ec) return IoError("cannot rename " + tmp.string() + " to " + path.string() + ": " + ec.message());
  return Status::Ok();
}

Status WriteJsonFile(const fs::path& path, const nlohmann::json& value) {
  return WriteTextFile(path, value.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

Result<std::string> ReadTextFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read " + path.string() + ": " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<nlohmann::json> ReadJsonFile(const fs::path& path) {
  auto text = ReadTextFile(path);
  if (!text.ok()) return text.error();
  try {
    return nlohmann::json::parse(*text);
  } catch (const nlohmann::json::exception& e) {
    return InvalidInput(path.string() + ": not valid JSON: " + e.what());
  }
}

Result<fs::path> CopyInput(const fs::path& run_dir, const fs::path& root, const fs::path& file) {
  std::error_code ec;
  fs::path rel = fs::relative(file, root, ec);
  if (ec || rel.empty() || *rel.begin() == "..") rel = file.filename();
  const fs::path dest = run_dir / "inputs" / rel;
  fs::create_directories(dest.parent_path(), ec);
  fs::copy_file(file, dest, fs::copy_options::overwrite_existing, ec);
  if (ec) return IoError("cannot copy " + file.string() + " to " + dest.string() + ": " + ec.message());
  return dest;
}

}  // namespace comply
