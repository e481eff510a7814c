// The mock endpoint server: cpp-httplib wiring, routes, fault injection.
#include "providers/mock_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "providers/mock_behavior.h"
#include "providers/mock_defects.h"
#include "providers/mock_socket.h"
#include "providers/mock_wire.h"

namespace comply {

using json = nlohmann::json;
using mock::Fault;

namespace {

// No "application/json" exactly: httplib would gzip it for clients that accept gzip, and a
// compressed trickle arrives in one piece.
constexpr const char* kJsonType = "application/json; charset=utf-8";

enum class Wire { kOpenAi, kAnthropic };

std::string Hex(std::uint64_t a, std::uint64_t b, std::size_t chars) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return std::string(buf, std::min<std::size_t>(chars, 32));
}

std::int64_t Tokens(std::size_t chars, double per_char) {
  return static_cast<std::int64_t>(std::ceil(static_cast<double>(chars) * per_char));
}

}  // namespace

struct MockServer::Impl {
  MockOptions options;
  httplib::Server server;
  std::thread listener;
  std::atomic<bool> listen_returned{false};
  int port = 0;

  mutable std::mutex mu;  // guards everything below
  MockStats stats;
  std::unordered_map<std::uint64_t, std::uint64_t> seen;  // (profile, message) -> count
  std::unordered_set<std::uint64_t> cached_prefixes;      // (profile, system prompt)

  std::mutex stop_mu;  // guards stopping; stop_cv wakes sleepers
  std::condition_variable stop_cv;
  bool stopping = false;
  std::mutex stop_call_mu;  // serializes Stop()

  // Sleeps `ms`; false when Stop() cut the sleep short.
  bool Sleep(double ms) {
    std::unique_lock<std::mutex> lock(stop_mu);
    return !stop_cv.wait_for(lock, std::chrono::duration<double, std::milli>(ms),
                             [this] { return stopping; });
  }

  const MockProfile* FindProfile(const std::string& name) const {
    for (const MockProfile& p : options.profiles) {
      if (p.name == name) return &p;
    }
    return nullptr;
  }

  void SendError(Wire wire, httplib::Response& res, int status, const std::string& type,
                 const std::string& message, const std::optional<std::string>& code) {
    res.status = status;
    json body = wire == Wire::kOpenAi ? mock::OpenAiError(message, type, code)
                                      : mock::AnthropicError(type, message);
    res.set_content(body.dump(), kJsonType);
  }

  // Resets the connection under `req`; false when it could not be found.
  bool Reset(const httplib::Request& req) {
    int fd = mock::FindConnection(port, req.remote_addr, req.remote_port);
    return fd >= 0 && mock::ResetConnection(fd);
  }

  void HandleChat(Wire wire, const httplib::Request& req, httplib::Response& res);
  bool InjectFault(Wire wire, Fault fault, const MockProfile& p, const httplib::Request& req,
                   httplib::Response& res, const mock::Draw& draw, const std::string& model);
  void Respond(Wire wire, const mock::ChatRequest& r, const MockProfile& p,
               const mock::Draw& draw, httplib::Response& res);
  void Install();
};

void MockServer::Impl::HandleChat(Wire wire, const httplib::Request& req,
                                  httplib::Response& res) {
  {
    std::lock_guard<std::mutex> lock(mu);
    ++stats.requests;
  }
  Result<mock::ChatRequest> parsed = wire == Wire::kOpenAi ? mock::ParseOpenAiRequest(req.body)
                                                           : mock::ParseAnthropicRequest(req.body);
  if (!parsed.ok() || parsed->stream) {
    std::lock_guard<std::mutex> lock(mu);
    ++stats.bad_request;
  }
  if (!parsed.ok()) {
    return SendError(wire, res, 400, "invalid_request_error", parsed.error().message,
                     std::nullopt);
  }
  if (parsed->stream) {
    return SendError(wire, res, 400, "invalid_request_error",
                     "stream: streaming is not supported by comply's mock endpoint",
                     std::nullopt);
  }
  const MockProfile* profile = FindProfile(parsed->model);
  if (!profile) {
    {
      std::lock_guard<std::mutex> lock(mu);
      ++stats.unknown_model;
    }
    if (wire == Wire::kAnthropic) {
      return SendError(wire, res, 404, "not_found_error", "model: " + parsed->model,
                       std::nullopt);
    }
    return SendError(wire, res, 404, "invalid_request_error",
                     "The model `" + parsed->model +
                         "` does not exist or you do not have access to it.",
                     "model_not_found");
  }
  std::uint64_t n = 0;
  std::uint64_t seen_key = mock::Mix64(mock::Fnv1a64(profile->name)) ^
                           mock::Fnv1a64(parsed->user, 0x84222325cbf29ce4ull);
  {
    std::lock_guard<std::mutex> lock(mu);
    n = seen[seen_key]++;
  }
  mock::Draw draw = mock::DrawFor(*profile, options.seed, parsed->user, n);
  {
    std::lock_guard<std::mutex> lock(mu);
    MockStats::Profile& ps = stats.profiles[profile->name];
    ++ps.requests;
    if (draw.fault != Fault::kNone) ++ps.faults[mock::FaultName(draw.fault)];
  }
  if (draw.fault != Fault::kNone) res.set_header("x-mock-fault", mock::FaultName(draw.fault));
  if (draw.fault == Fault::kHang) {
    if (!Sleep(profile->hang_s * 1000)) {
      Reset(req);  // Stop(): the client sees the connection go, not an answer
      res.status = 503;
      return;
    }
  } else if (!Sleep(draw.latency_ms)) {
    Reset(req);
    res.status = 503;
    return;
  }
  if (draw.fault != Fault::kHang && draw.fault != Fault::kSlowTrickle &&
      draw.fault != Fault::kTruncatedBody && draw.fault != Fault::kNone &&
      InjectFault(wire, draw.fault, *profile, req, res, draw, parsed->model)) {
    return;
  }
  Respond(wire, *parsed, *profile, draw, res);
}

bool MockServer::Impl::InjectFault(Wire wire, Fault fault, const MockProfile& p,
                                   const httplib::Request& req, httplib::Response& res,
                                   const mock::Draw& draw, const std::string& model) {
  switch (fault) {
    case Fault::kRateLimit: {
      long whole = static_cast<long>(std::ceil(p.retry_after_s));
      res.set_header("Retry-After", std::to_string(whole));
      res.set_header("retry-after-ms", std::to_string(std::lround(p.retry_after_s * 1000)));
      if (wire == Wire::kOpenAi) {
        SendError(wire, res, 429, "requests",
                  "Rate limit reached for " + model + " on requests per min (RPM). Please try "
                  "again in " + std::to_string(whole) + "s.", "rate_limit_exceeded");
      } else {
        SendError(wire, res, 429, "rate_limit_error",
                  "This request would exceed the rate limit for your organization.", std::nullopt);
      }
      return true;
    }
    case Fault::kHttp500:
      SendError(wire, res, 500, wire == Wire::kOpenAi ? "server_error" : "api_error",
                "The server had an error while processing your request. Sorry about that!",
                std::nullopt);
      return true;
    case Fault::kHttp503:
      SendError(wire, res, 503, wire == Wire::kOpenAi ? "server_error" : "overloaded_error",
                "The engine is currently overloaded, please try again later.", std::nullopt);
      return true;
    case Fault::kReset:
      if (Reset(req)) {
        res.status = 500;  // never reaches the client: the socket is gone
        return true;
      }
      SendError(wire, res, 500, "server_error", "mock: the connection could not be reset",
                std::nullopt);
      return true;
    case Fault::kInvalidEnvelope:
      res.status = 200;
      if (draw.key & 1) {  // not JSON at all, as from a misconfigured proxy
        res.set_content("<html><body><h1>502 Bad Gateway</h1></body></html>\n", "text/html");
      } else if (wire == Wire::kOpenAi) {  // JSON, but no choices
        res.set_content(json{{"id", "chatcmpl-" + Hex(draw.key, 0, 24)},
                             {"object", "chat.completion"}, {"created", std::time(nullptr)},
                             {"model", model}}.dump(), kJsonType);
      } else {  // JSON, but no content
        res.set_content(json{{"id", "msg_" + Hex(draw.key, 0, 24)}, {"type", "message"},
                             {"role", "assistant"}, {"model", model}}.dump(), kJsonType);
      }
      return true;
    default:
      return false;
  }
}

void MockServer::Impl::Respond(Wire wire, const mock::ChatRequest& r, const MockProfile& p,
                               const mock::Draw& draw, httplib::Response& res) {
  std::optional<json> gold = options.answers ? options.answers(r.user) : std::nullopt;
  mock::Dice dice(mock::Mix64(draw.key ^ 0xdefec75ull));
  mock::Completion c;
  c.answer = mock::RenderAnswer(gold ? *gold : mock::GenericAnswer(draw.key), draw.defects, dice);
  c.completion_tokens = std::max<std::int64_t>(1, Tokens(c.answer.text.size(), p.input_tokens_per_char));
  if (r.max_tokens && *r.max_tokens > 0 && c.completion_tokens > *r.max_tokens) {
    double chars = static_cast<double>(*r.max_tokens) / std::max(p.input_tokens_per_char, 1e-9);
    c.answer.text = mock::CutUtf8(c.answer.text, static_cast<std::size_t>(chars));
    c.answer.truncated = true;
    c.completion_tokens = *r.max_tokens;
  }
  c.prompt_tokens = Tokens(r.prompt_chars, p.input_tokens_per_char) +
                    4 * static_cast<std::int64_t>(r.messages) + 3;
  std::int64_t system_tokens = Tokens(r.system.size(), p.input_tokens_per_char);
  bool cacheable = system_tokens >= 1024 && (wire == Wire::kOpenAi || r.cache_control);
  {
    std::lock_guard<std::mutex> lock(mu);
    MockStats::Profile& ps = stats.profiles[p.name];
    for (mock::Defect d : c.answer.applied) ++ps.defects[mock::DefectName(d)];
    if (cacheable) {
      std::uint64_t key = mock::Mix64(mock::Fnv1a64(p.name)) ^ mock::Fnv1a64(r.system);
      bool hit = !cached_prefixes.insert(key).second;
      if (hit) {
        c.cached_tokens = wire == Wire::kOpenAi ? system_tokens / 128 * 128 : system_tokens;
      } else if (wire == Wire::kAnthropic) {
        c.cache_write_tokens = system_tokens;
      }
    }
  }
  std::uint64_t k2 = mock::Mix64(draw.key + 1);
  c.id = (wire == Wire::kOpenAi ? "chatcmpl-" : "msg_") + Hex(draw.key, k2, 24);
  c.tool_call_id = (wire == Wire::kOpenAi ? "call_" : "toolu_") + Hex(k2, draw.key, 24);
  c.model = p.name;
  c.fingerprint = "fp_" + Hex(mock::Fnv1a64(p.name), 0, 10);
  c.created = static_cast<std::int64_t>(std::time(nullptr));
  c.tool_name = r.tool_name;
  std::string defects;
  for (mock::Defect d : c.answer.applied) {
    defects += (defects.empty() ? "" : ",") + std::string(mock::DefectName(d));
  }
  res.set_header("x-mock-defects", defects);
  res.set_header(wire == Wire::kOpenAi ? "x-request-id" : "request-id", "req_" + Hex(k2, 0, 24));
  json body = wire == Wire::kOpenAi ? mock::OpenAiResponse(c) : mock::AnthropicResponse(c);
  auto text = std::make_shared<std::string>(body.dump(-1, ' ', false, json::error_handler_t::replace));
  res.status = 200;
  if (draw.fault == Fault::kSlowTrickle) {
    const std::size_t chunks = std::min<std::size_t>(10, std::max<std::size_t>(1, text->size()));
    const std::size_t step = (text->size() + chunks - 1) / chunks;
    const double pause_ms = p.trickle_s * 1000 / static_cast<double>(chunks);
    res.set_chunked_content_provider(kJsonType, [this, text, step, pause_ms](
                                                    std::size_t offset, httplib::DataSink& sink) {
      if (offset >= text->size()) {
        sink.done();
        return true;
      }
      if (!Sleep(pause_ms)) return false;
      return sink.write(text->data() + offset, std::min(step, text->size() - offset));
    });
  } else if (draw.fault == Fault::kTruncatedBody) {
    // Promise the whole length, send part of it, then fail: httplib closes the connection.
    const std::size_t sent = text->size() / 2;
    res.set_content_provider(text->size(), kJsonType,
                             [text, sent](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                               if (offset >= sent) return false;
                               return sink.write(text->data() + offset, sent - offset);
                             });
  } else {
    res.set_content(*text, kJsonType);
  }
}

void MockServer::Impl::Install() {
  auto guarded = [this](Wire wire) {
    return [this, wire](const httplib::Request& req, httplib::Response& res) {
      try {
        HandleChat(wire, req, res);
      } catch (const std::exception& e) {  // nlohmann type errors on odd bodies, bad_alloc
        {
          std::lock_guard<std::mutex> lock(mu);
          ++stats.bad_request;
        }
        SendError(wire, res, 400, "invalid_request_error", std::string("bad request: ") + e.what(),
                  std::nullopt);
      }
    };
  };
  server.Post(R"(/(.*/)?chat/completions)", guarded(Wire::kOpenAi));
  server.Post(R"(/(v1/)?messages)", guarded(Wire::kAnthropic));
  server.Get("/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"ok"})", kJsonType);
  });
  server.Get(R"(/(v1/)?models)", [this](const httplib::Request&, httplib::Response& res) {
    json data = json::array();
    for (const MockProfile& p : options.profiles) {
      data.push_back({{"id", p.name}, {"object", "model"}, {"created", 0},
                      {"owned_by", "comply-mock"}});
    }
    res.set_content(json{{"object", "list"}, {"data", data}}.dump(), kJsonType);
  });
  server.Get("/stats", [this](const httplib::Request&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu);
    res.set_content(stats.ToJson().dump(), kJsonType);
  });
  int threads = options.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_keep_alive_max_count(1u << 20);
  server.set_tcp_nodelay(true);
  // httplib's default also sets SO_REUSEPORT, which lets a second server bind a busy port.
  server.set_socket_options([](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // httplib's idle keep-alive wait does not watch stop(): a short idle timeout keeps Stop()
  // within about a second while a client holds an idle connection (clients just reconnect).
  server.set_keep_alive_timeout(1);
}

MockServer::MockServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MockServer::~MockServer() { Stop(); }

Result<std::unique_ptr<MockServer>> MockServer::Start(MockOptions options) {
  if (options.profiles.empty()) return InvalidInput("mock server: no profiles");
  if (options.threads < 1) return InvalidInput("mock server: threads must be >= 1");
  for (std::size_t i = 0; i < options.profiles.size(); ++i) {
    const MockProfile& p = options.profiles[i];
    if (p.name.empty()) return InvalidInput("mock server: profile " + std::to_string(i) + " has no name");
    for (std::size_t j = 0; j < i; ++j) {
      if (options.profiles[j].name == p.name) {
        return InvalidInput("mock server: duplicate profile name \"" + p.name + "\"");
      }
    }
    for (double rate : {p.hallucinated_field, p.code_fence, p.prose, p.truncation, p.wrong_type,
                        p.rule_violation, p.rate_limit, p.http_500, p.http_503, p.slow_trickle,
                        p.reset, p.truncated_body, p.invalid_envelope, p.hang}) {
      if (!(rate >= 0 && rate <= 1)) {
        return InvalidInput("mock server: profile \"" + p.name +
                            "\": every defect and fault rate must be in [0, 1]");
      }
    }
  }
  mock::IgnoreSigpipe();
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->Install();
  const std::string& host = impl->options.host;
  if (impl->options.port == 0) {
    impl->port = impl->server.bind_to_any_port(host);
  } else {
    impl->port = impl->server.bind_to_port(host, impl->options.port) ? impl->options.port : -1;
  }
  if (impl->port <= 0) {
    return IoError("mock server: cannot listen on " + host + ":" +
                   std::to_string(impl->options.port) + " (address in use or not local?)");
  }
  Impl* raw = impl.get();
  impl->listener = std::thread([raw] {
    raw->server.listen_after_bind();
    raw->listen_returned = true;
  });
  // The socket already listens (connections queue in the backlog); wait until the accept loop
  // runs so that an immediate Stop() is not lost.
  while (!raw->server.is_running() && !raw->listen_returned) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return std::unique_ptr<MockServer>(new MockServer(std::move(impl)));
}

int MockServer::port() const { return impl_->port; }

void MockServer::Stop() {
  std::lock_guard<std::mutex> call(impl_->stop_call_mu);
  {
    std::lock_guard<std::mutex> lock(impl_->stop_mu);
    impl_->stopping = true;
  }
  impl_->stop_cv.notify_all();
  if (impl_->listener.joinable()) {
    impl_->server.stop();
    impl_->listener.join();
  }
}

MockStats MockServer::stats() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->stats;
}

}  // namespace comply
