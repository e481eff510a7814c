// The mock endpoint server over loopback: routes, wire formats, defects, faults, determinism.
#include "providers/mock_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/test_util.h"

namespace comply {
namespace {

using json = nlohmann::json;
using testing::TempDir;

const json kInvoice = json::parse(
    R"({"invoice_number":"INV-000123","currency":"USD","total":1234.5,
        "line_items":[{"sku":"AB-12","qty":2,"price":"17.00"}]})");
const char* const kReport = "# Summary\nAll good.\n\n# Findings\nNone.\n\n# Plan\nShip it.\n";

std::optional<json> Book(std::string_view prompt) {
  if (prompt == "invoice") return kInvoice;
  if (prompt == "report") return json(kReport);
  return std::nullopt;
}

MockProfile Clean(const std::string& name) {
  MockProfile p;
  p.name = name;
  p.latency_ms = 0;
  return p;
}

MockProfile With(const std::string& name, double MockProfile::*field) {
  MockProfile p = Clean(name);
  p.*field = 1.0;
  return p;
}

std::unique_ptr<MockServer> StartServer(std::vector<MockProfile> profiles,
                                        std::uint64_t seed = 1) {
  MockOptions o;
  o.profiles = std::move(profiles);
  o.answers = Book;
  o.seed = seed;
  o.threads = 4;
  Result<std::unique_ptr<MockServer>> s = MockServer::Start(std::move(o));
  REQUIRE(s.ok());
  return std::move(*s);
}

json ChatBody(const std::string& model, const std::string& user,
              const std::string& system = "Answer with JSON.") {
  return {{"model", model},
          {"messages", json::array({{{"role", "system"}, {"content", system}},
                                    {{"role", "user"}, {"content", user}}})}};
}

httplib::Result Post(httplib::Client& c, const std::string& path, const json& body) {
  return c.Post(path.c_str(), body.dump(), "application/json");
}

std::string Content(const httplib::Result& r) {
  return json::parse(r->body)["choices"][0]["message"]["content"].get<std::string>();
}

// One raw HTTP exchange: what arrived before the peer closed, and the errno of the last read.
struct RawReply {
  std::string bytes;
  int error = 0;
};
RawReply RawExchange(int port, const std::string& body) {
  RawReply out;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  std::string req = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    "Content-Type: application/json\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body;
  REQUIRE(send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size()));
  char buf[4096];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      out.bytes.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0) out.error = errno;
    break;
  }
  close(fd);
  return out;
}

// Validates each JSON document against the OpenAI response schema with Python's jsonschema.
// Returns false (and warns) when the checker or the schema is not available.
bool ValidateOpenAiResponses(const std::vector<json>& docs, std::string* failures) {
  std::filesystem::path schema = testing::SourceDir() / ".." / "shared" / "specs" / "openai" /
                                 "chat_completion_response.schema.json";
  if (!std::filesystem::exists(schema) ||
      testing::Run("/usr/bin/python3 -c 'import jsonschema' 2>/dev/null").exit_code != 0) {
    WARN("python3-jsonschema or " << schema << " unavailable: wire schema check skipped");
    return false;
  }
  TempDir dir;
  std::string lines;
  for (const json& d : docs) lines += d.dump() + "\n";
  testing::WriteFile(dir / "responses.jsonl", lines);
  testing::WriteFile(dir / "check.py",
                     "import json, sys, jsonschema\n"
                     "schema = json.load(open(sys.argv[1]))\n"
                     "v = jsonschema.Draft202012Validator(schema)\n"
                     "bad = 0\n"
                     "for i, line in enumerate(open(sys.argv[2])):\n"
                     "    for e in v.iter_errors(json.loads(line)):\n"
                     "        bad += 1; print(i, list(e.absolute_path), e.message)\n"
                     "sys.exit(1 if bad else 0)\n");
  testing::CommandResult r = testing::Run("/usr/bin/python3 " + (dir / "check.py").string() +
                                          " '" + schema.string() + "' " +
                                          (dir / "responses.jsonl").string());
  *failures = r.out + r.err;
  return r.exit_code == 0;
}

TEST_CASE("mock server: health, models, stats and the routes without /v1", "[mock]") {
  auto server = StartServer({Clean("alpha"), Clean("beta")});
  httplib::Client c("127.0.0.1", server->port());
  auto health = c.Get("/health");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(json::parse(health->body) == json{{"status", "ok"}});

  auto models = c.Get("/v1/models");
  REQUIRE(models);
  json m = json::parse(models->body);
  CHECK(m["object"] == "list");
  REQUIRE(m["data"].size() == 2);
  CHECK(m["data"][0]["id"] == "alpha");
  CHECK(m["data"][1]["id"] == "beta");

  auto r1 = Post(c, "/chat/completions", ChatBody("alpha", "invoice"));
  REQUIRE(r1);
  CHECK(r1->status == 200);
  CHECK(json::parse(Content(r1)) == kInvoice);
  auto r2 = Post(c, "/v1/chat/completions", ChatBody("beta", "invoice"));
  REQUIRE(r2);
  CHECK(r2->status == 200);

  auto stats = c.Get("/stats");
  REQUIRE(stats);
  json s = json::parse(stats->body);
  CHECK(s["requests"] == 2);
  CHECK(s["profiles"]["alpha"]["requests"] == 1);
  CHECK(s["profiles"]["beta"]["requests"] == 1);
  CHECK(server->stats().requests == 2);
}

TEST_CASE("mock server: OpenAI responses follow the wire format and its schema", "[mock]") {
  MockProfile all = Clean("all");
  all.code_fence = all.prose = all.truncation = 0.5;
  all.hallucinated_field = all.wrong_type = all.rule_violation = 0.5;
  auto server = StartServer({Clean("plain"), all});
  httplib::Client c("127.0.0.1", server->port());
  std::vector<json> docs;

  auto r = Post(c, "/v1/chat/completions", ChatBody("plain", "invoice"));
  REQUIRE(r);
  REQUIRE(r->status == 200);
  json doc = json::parse(r->body);
  docs.push_back(doc);
  CHECK(doc["object"] == "chat.completion");
  CHECK(doc["id"].get<std::string>().rfind("chatcmpl-", 0) == 0);
  CHECK(doc["model"] == "plain");
  CHECK(doc["system_fingerprint"].get<std::string>().rfind("fp_", 0) == 0);
  CHECK(doc["created"].is_number_integer());
  const json& choice = doc["choices"][0];
  CHECK(choice["finish_reason"] == "stop");
  CHECK(choice["message"]["refusal"].is_null());
  CHECK(choice["message"]["role"] == "assistant");
  CHECK(choice["message"]["content"] == kInvoice.dump());
  const json& usage = doc["usage"];
  CHECK(usage["total_tokens"] == usage["prompt_tokens"].get<int>() +
                                     usage["completion_tokens"].get<int>());
  // "Answer with JSON." (17) + "invoice" (7) = 24 chars -> 6 tokens, + 4 per message + 3.
  CHECK(usage["prompt_tokens"] == 6 + 8 + 3);
  CHECK(usage["completion_tokens"] == (kInvoice.dump().size() + 3) / 4);
  CHECK(usage["prompt_tokens_details"]["cached_tokens"] == 0);
  CHECK(r->get_header_value("x-request-id").rfind("req_", 0) == 0);

  // A long system prompt shows in prompt_tokens, and is reported cached from its second use.
  std::string long_system(8000, 'x');
  auto first = Post(c, "/v1/chat/completions", ChatBody("plain", "invoice", long_system));
  auto second = Post(c, "/v1/chat/completions", ChatBody("plain", "other", long_system));
  REQUIRE(first);
  REQUIRE(second);
  json u1 = json::parse(first->body)["usage"], u2 = json::parse(second->body)["usage"];
  CHECK(u1["prompt_tokens"] == 2000 + 2 + 8 + 3);
  CHECK(u1["prompt_tokens_details"]["cached_tokens"] == 0);
  CHECK(u2["prompt_tokens_details"]["cached_tokens"] == 1920);
  docs.push_back(json::parse(first->body));

  // Tools: the answer comes back as a function call.
  json body = ChatBody("plain", "invoice");
  body["tools"] = json::parse(
      R"([{"type":"function","function":{"name":"record_invoice","parameters":{"type":"object"}}}])");
  auto tool = Post(c, "/v1/chat/completions", body);
  REQUIRE(tool);
  json t = json::parse(tool->body);
  docs.push_back(t);
  CHECK(t["choices"][0]["finish_reason"] == "tool_calls");
  CHECK(t["choices"][0]["message"]["content"].is_null());
  const json& call = t["choices"][0]["message"]["tool_calls"][0];
  CHECK(call["type"] == "function");
  CHECK(call["id"].get<std::string>().rfind("call_", 0) == 0);
  CHECK(call["function"]["name"] == "record_invoice");
  CHECK(json::parse(call["function"]["arguments"].get<std::string>()) == kInvoice);

  // max_tokens cuts the answer: finish_reason "length".
  body = ChatBody("plain", "invoice");
  body["max_tokens"] = 5;
  auto cut = Post(c, "/v1/chat/completions", body);
  REQUIRE(cut);
  json k = json::parse(cut->body);
  docs.push_back(k);
  CHECK(k["choices"][0]["finish_reason"] == "length");
  CHECK(k["choices"][0]["message"]["content"] == kInvoice.dump().substr(0, 20));
  CHECK(k["usage"]["completion_tokens"] == 5);

  // Defective answers (text and JSON, plain and tools) are still valid envelopes.
  for (int i = 0; i < 30; ++i) {
    json b = ChatBody("all", i % 3 == 0 ? "report" : (i % 3 == 1 ? "invoice" : "unknown"));
    if (i % 2) b["tools"] = json::parse(R"([{"type":"function","function":{"name":"f"}}])");
    auto d = Post(c, "/v1/chat/completions", b);
    REQUIRE(d);
    REQUIRE(d->status == 200);
    docs.push_back(json::parse(d->body));
  }
  std::string failures;
  bool checked = ValidateOpenAiResponses(docs, &failures);
  INFO(failures);
  CHECK((checked || failures.empty()));
}

TEST_CASE("mock server: an unknown prompt gets a small generic JSON object", "[mock]") {
  auto server = StartServer({Clean("plain")});
  httplib::Client c("127.0.0.1", server->port());
  auto r = Post(c, "/v1/chat/completions", ChatBody("plain", "never seen"));
  REQUIRE(r);
  json answer = json::parse(Content(r));
  CHECK(answer["label"] == "other");
  CHECK(answer["score"] == 0.5);
  CHECK(answer["id"].get<std::string>().rfind("GEN-", 0) == 0);
}

TEST_CASE("mock server: Anthropic Messages format, text and tool_use", "[mock]") {
  auto server = StartServer({Clean("claude")});
  httplib::Client c("127.0.0.1", server->port());
  json body = {{"model", "claude"},
               {"max_tokens", 800},
               {"system", "Answer with JSON."},
               {"messages", json::array({{{"role", "user"}, {"content", "invoice"}}})}};
  auto r = Post(c, "/v1/messages", body);
  REQUIRE(r);
  REQUIRE(r->status == 200);
  json m = json::parse(r->body);
  CHECK(m["type"] == "message");
  CHECK(m["role"] == "assistant");
  CHECK(m["id"].get<std::string>().rfind("msg_", 0) == 0);
  CHECK(m["model"] == "claude");
  CHECK(m["stop_reason"] == "end_turn");
  CHECK(m["stop_sequence"].is_null());
  REQUIRE(m["content"].size() == 1);
  CHECK(m["content"][0]["type"] == "text");
  CHECK(json::parse(m["content"][0]["text"].get<std::string>()) == kInvoice);
  CHECK(m["usage"]["input_tokens"] == 6 + 8 + 3);
  CHECK(m["usage"]["output_tokens"].get<int>() > 0);
  CHECK(m["usage"]["cache_read_input_tokens"] == 0);
  CHECK(r->get_header_value("request-id").rfind("req_", 0) == 0);

  body["tools"] = json::parse(R"([{"name":"record_invoice","input_schema":{"type":"object"}}])");
  auto t = Post(c, "/messages", body);
  REQUIRE(t);
  json tm = json::parse(t->body);
  CHECK(tm["stop_reason"] == "tool_use");
  CHECK(tm["content"][0]["type"] == "tool_use");
  CHECK(tm["content"][0]["name"] == "record_invoice");
  CHECK(tm["content"][0]["id"].get<std::string>().rfind("toolu_", 0) == 0);
  CHECK(tm["content"][0]["input"] == kInvoice);

  body.erase("max_tokens");
  auto bad = Post(c, "/v1/messages", body);
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(json::parse(bad->body) ==
        json::parse(R"({"type":"error","error":{"type":"invalid_request_error",
                        "message":"max_tokens: Field required"}})"));
}

TEST_CASE("mock server: unknown model and malformed requests", "[mock]") {
  auto server = StartServer({Clean("plain")});
  httplib::Client c("127.0.0.1", server->port());
  auto r = Post(c, "/v1/chat/completions", ChatBody("gpt-nope", "invoice"));
  REQUIRE(r);
  CHECK(r->status == 404);
  CHECK(json::parse(r->body) == json::parse(R"({"error":{
      "message":"The model `gpt-nope` does not exist or you do not have access to it.",
      "type":"invalid_request_error","param":null,"code":"model_not_found"}})"));
  json a = {{"model", "nope"}, {"max_tokens", 10},
            {"messages", json::array({{{"role", "user"}, {"content", "x"}}})}};
  auto ra = Post(c, "/v1/messages", a);
  REQUIRE(ra);
  CHECK(ra->status == 404);
  CHECK(json::parse(ra->body)["error"] ==
        json{{"type", "not_found_error"}, {"message", "model: nope"}});

  auto bad = c.Post("/v1/chat/completions", "{not json", "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(json::parse(bad->body)["error"]["message"] ==
        "We could not parse the JSON body of your request.");
  auto odd = c.Post("/v1/chat/completions",
                    R"({"model":"plain","messages":[{"role":"user","content":"x"}],"stream":"yes"})",
                    "application/json");
  REQUIRE(odd);
  CHECK(odd->status == 400);
  MockStats s = server->stats();
  CHECK(s.unknown_model == 2);
  CHECK(s.bad_request == 2);
  CHECK(s.requests == 4);
}

TEST_CASE("mock server: each defect kind is observable at rate 1", "[mock]") {
  auto server = StartServer({With("hallucinated", &MockProfile::hallucinated_field),
                             With("fence", &MockProfile::code_fence),
                             With("prose", &MockProfile::prose),
                             With("truncation", &MockProfile::truncation),
                             With("wrong-type", &MockProfile::wrong_type),
                             With("rule", &MockProfile::rule_violation)});
  httplib::Client c("127.0.0.1", server->port());
  const std::string gold = kInvoice.dump();

  auto r = Post(c, "/v1/chat/completions", ChatBody("hallucinated", "invoice"));
  REQUIRE(r);
  CHECK(r->get_header_value("x-mock-defects") == "hallucinated_field");
  json h = json::parse(Content(r));
  CHECK(h != kInvoice);
  CHECK(h.size() + h["line_items"][0].size() == kInvoice.size() + kInvoice["line_items"][0].size() + 1);

  r = Post(c, "/v1/chat/completions", ChatBody("fence", "invoice"));
  REQUIRE(r);
  CHECK(Content(r) == "```json\n" + gold + "\n```");

  r = Post(c, "/v1/chat/completions", ChatBody("prose", "invoice"));
  REQUIRE(r);
  CHECK(Content(r).find("\n\n" + gold + "\n\n") != std::string::npos);

  r = Post(c, "/v1/chat/completions", ChatBody("truncation", "invoice"));
  REQUIRE(r);
  CHECK(json::parse(r->body)["choices"][0]["finish_reason"] == "length");
  CHECK(gold.rfind(Content(r), 0) == 0);
  CHECK(Content(r).size() < gold.size());

  r = Post(c, "/v1/chat/completions", ChatBody("wrong-type", "invoice"));
  REQUIRE(r);
  CHECK(r->get_header_value("x-mock-defects") == "wrong_type");
  CHECK(json::parse(Content(r)) != kInvoice);

  r = Post(c, "/v1/chat/completions", ChatBody("rule", "invoice"));
  REQUIRE(r);
  json v = json::parse(Content(r));
  CHECK((v["currency"] == "usd" || v["currency"] == "XXX"));

  r = Post(c, "/v1/chat/completions", ChatBody("rule", "report"));
  REQUIRE(r);
  CHECK(Content(r).size() < std::string(kReport).size());

  MockStats s = server->stats();
  CHECK(s.profiles["fence"].defects == std::map<std::string, std::uint64_t>{{"code_fence", 1}});
  CHECK(s.profiles["rule"].defects == std::map<std::string, std::uint64_t>{{"rule_violation", 2}});
}

TEST_CASE("mock server: HTTP error faults", "[mock]") {
  MockProfile limited = With("limited", &MockProfile::rate_limit);
  limited.retry_after_s = 2.5;
  auto server = StartServer({limited, With("e500", &MockProfile::http_500),
                             With("e503", &MockProfile::http_503),
                             With("envelope", &MockProfile::invalid_envelope)});
  httplib::Client c("127.0.0.1", server->port());
  auto r = Post(c, "/v1/chat/completions", ChatBody("limited", "invoice"));
  REQUIRE(r);
  CHECK(r->status == 429);
  CHECK(r->get_header_value("Retry-After") == "3");
  CHECK(r->get_header_value("retry-after-ms") == "2500");
  CHECK(r->get_header_value("x-mock-fault") == "rate_limit");
  CHECK(json::parse(r->body)["error"]["code"] == "rate_limit_exceeded");

  r = Post(c, "/v1/chat/completions", ChatBody("e500", "invoice"));
  REQUIRE(r);
  CHECK(r->status == 500);
  CHECK(json::parse(r->body)["error"]["type"] == "server_error");
  r = Post(c, "/v1/chat/completions", ChatBody("e503", "invoice"));
  REQUIRE(r);
  CHECK(r->status == 503);

  // Both kinds of invalid envelope show up over a few requests; neither has choices.
  bool html = false, no_choices = false;
  for (int i = 0; i < 16; ++i) {
    r = Post(c, "/v1/chat/completions", ChatBody("envelope", "invoice"));
    REQUIRE(r);
    CHECK(r->status == 200);
    json doc = json::parse(r->body, nullptr, false);
    if (doc.is_discarded()) {
      html = true;
    } else {
      CHECK_FALSE(doc.contains("choices"));
      no_choices = true;
    }
  }
  CHECK(html);
  CHECK(no_choices);
  CHECK(server->stats().profiles["envelope"].faults.at("invalid_envelope") == 16);
}

TEST_CASE("mock server: connection faults (reset, truncated body, trickle, hang)", "[mock]") {
  MockProfile trickle = With("trickle", &MockProfile::slow_trickle);
  trickle.trickle_s = 0.3;
  MockProfile hang = With("hang", &MockProfile::hang);
  hang.hang_s = 30;
  auto server = StartServer({With("reset", &MockProfile::reset),
                             With("truncated", &MockProfile::truncated_body), trickle, hang});

  RawReply reset = RawExchange(server->port(), ChatBody("reset", "invoice").dump());
  CHECK(reset.bytes.empty());
  CHECK(reset.error == ECONNRESET);

  RawReply cut = RawExchange(server->port(), ChatBody("truncated", "invoice").dump());
  CHECK(cut.error == 0);
  std::size_t head_end = cut.bytes.find("\r\n\r\n");
  REQUIRE(head_end != std::string::npos);
  std::size_t cl = cut.bytes.find("Content-Length: ");
  REQUIRE(cl != std::string::npos);
  std::size_t declared = std::stoul(cut.bytes.substr(cl + 16));
  std::size_t received = cut.bytes.size() - head_end - 4;
  CHECK(received > 0);
  CHECK(received < declared);

  RawReply slow = RawExchange(server->port(), ChatBody("trickle", "invoice").dump());
  CHECK(slow.error == 0);
  CHECK(slow.bytes.find("Transfer-Encoding: chunked") != std::string::npos);
  httplib::Client c("127.0.0.1", server->port());
  auto r = Post(c, "/v1/chat/completions", ChatBody("trickle", "invoice"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(json::parse(Content(r)) == kInvoice);

  // A client that gives up before the hang ends sees a read timeout.
  httplib::Client impatient("127.0.0.1", server->port());
  impatient.set_read_timeout(0, 200000);
  auto h = Post(impatient, "/v1/chat/completions", ChatBody("hang", "invoice"));
  CHECK_FALSE(h);
  CHECK(h.error() == httplib::Error::Read);
}

TEST_CASE("mock server: Stop() is prompt with a hanging request in flight", "[mock]") {
  auto server = StartServer({With("hang", &MockProfile::hang)});  // hang_s 120
  int port = server->port();
  RawReply reply;
  std::thread client([&] { reply = RawExchange(port, ChatBody("hang", "invoice").dump()); });
  while (server->stats().requests == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto start = std::chrono::steady_clock::now();
  server->Stop();
  double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  client.join();
  CHECK(waited < 20);  // bounded well below the 120 s hang
  CHECK(reply.bytes.empty());
  CHECK(reply.error == ECONNRESET);
  server->Stop();  // idempotent
}

TEST_CASE("mock server: answers are reproducible under a seed, samples differ", "[mock]") {
  MockProfile p = Clean("noisy");
  p.code_fence = p.prose = p.hallucinated_field = p.wrong_type = 0.3;
  p.http_500 = 0.2;
  auto collect = [&](std::uint64_t seed, bool reversed) {
    auto server = StartServer({p}, seed);
    httplib::Client c("127.0.0.1", server->port());
    std::vector<std::string> prompts = {"invoice", "report", "other"};
    if (reversed) std::reverse(prompts.begin(), prompts.end());
    std::vector<std::string> answers;
    for (const std::string& prompt : prompts) {
      for (int i = 0; i < 8; ++i) {
        auto r = Post(c, "/v1/chat/completions", ChatBody("noisy", prompt));
        REQUIRE(r);
        answers.push_back(prompt + " " + std::to_string(r->status) + " " +
                          (r->status == 200 ? Content(r) : r->body));
      }
    }
    std::sort(answers.begin(), answers.end());
    return answers;
  };
  std::vector<std::string> a = collect(42, false);
  CHECK(a == collect(42, true));
  CHECK(a != collect(43, false));
  std::size_t distinct_invoice = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].rfind("invoice 200", 0) == 0 && (i == 0 || a[i] != a[i - 1])) ++distinct_invoice;
  }
  CHECK(distinct_invoice > 1);
}

TEST_CASE("mock server: Start refuses bad options", "[mock]") {
  MockOptions none;
  CHECK(MockServer::Start(none).error().message == "mock server: no profiles");
  MockOptions dup;
  dup.profiles = {Clean("a"), Clean("a")};
  CHECK(MockServer::Start(dup).error().message == "mock server: duplicate profile name \"a\"");
  MockOptions rate;
  MockProfile p = Clean("a");
  p.prose = 1.5;
  rate.profiles = {p};
  CHECK(MockServer::Start(rate).error().message ==
        "mock server: profile \"a\": every defect and fault rate must be in [0, 1]");
  auto first = StartServer({Clean("a")});
  MockOptions taken;
  taken.profiles = {Clean("a")};
  taken.port = first->port();
  Result<std::unique_ptr<MockServer>> second = MockServer::Start(taken);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().code == ErrorCode::kIo);
  CHECK(second.error().message == "mock server: cannot listen on 127.0.0.1:" +
                                      std::to_string(first->port()) +
                                      " (address in use or not local?)");
}

TEST_CASE("mock server: profile files", "[mock]") {
  std::vector<MockProfile> d = DefaultMockProfiles();
  REQUIRE(d.size() == 2);
  CHECK(d[0].name == "large-prompted");
  CHECK(d[1].name == "small-finetuned");
  CHECK(d[1].hallucinated_field < d[0].hallucinated_field);

  TempDir dir;
  testing::WriteFile(dir / "p.json",
                     R"({"profiles":[{"name":"x","latency_ms":5,"code_fence":0.5,"hang_s":2}]})");
  Result<std::vector<MockProfile>> ok = LoadMockProfiles(dir / "p.json");
  REQUIRE(ok.ok());
  REQUIRE(ok->size() == 1);
  CHECK((*ok)[0].name == "x");
  CHECK((*ok)[0].latency_ms == 5);
  CHECK((*ok)[0].code_fence == 0.5);
  CHECK((*ok)[0].hang_s == 2);
  CHECK((*ok)[0].prose == 0);

  auto err = [](const char* doc) {
    return ParseMockProfiles(json::parse(doc), "p.json").error().message;
  };
  CHECK(err(R"([{"name":"x","latncy_ms":5}])") ==
        "p.json: /0/latncy_ms: unknown key \"latncy_ms\" (expected a MockProfile field such as "
        "latency_ms, code_fence, rate_limit)");
  CHECK(err(R"({"profiles":[{"name":"x","prose":2}]})") ==
        "p.json: /profiles/0/prose: 2 is out of range (a probability in [0, 1])");
  CHECK(err(R"({"profiles":[{"name":"x"},{"name":"x"}]})") ==
        "p.json: /profiles/1/name: duplicate profile name \"x\"");
  CHECK(err(R"({"profiles":[{"latency_ms":1}]})") ==
        "p.json: /profiles/0/name: a profile needs a non-empty string \"name\"");
  CHECK(err(R"([{"name":"x","hang":"often"}])") ==
        "p.json: /0/hang: expected a number, got \"often\"");
  CHECK(LoadMockProfiles(dir / "missing.json").error().message ==
        (dir / "missing.json").string() + ": cannot open the profile file");
}

}  // namespace
}  // namespace comply
