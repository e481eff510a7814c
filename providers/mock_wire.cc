#include "providers/mock_wire.h"

namespace comply::mock {

using json = nlohmann::json;

namespace {

// A message's text: a string, or an array of content parts / blocks with "text".
std::string TextOf(const json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string out;
  if (content.is_array()) {
    for (const json& part : content) {
      if (part.is_object() && part.contains("text") && part["text"].is_string()) {
        if (!out.empty()) out += "\n";
        out += part["text"].get<std::string>();
      }
    }
  }
  return out;
}

std::optional<json> ParseBody(std::string_view body) {
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  return doc;
}

Status ReadCommon(const json& doc, ChatRequest* r) {
  if (!doc.contains("model") || !doc["model"].is_string() || doc["model"].get<std::string>().empty()) {
    return InvalidInput("you must provide a model parameter");
  }
  r->model = doc["model"].get<std::string>();
  if (!doc.contains("messages") || !doc["messages"].is_array() || doc["messages"].empty()) {
    return InvalidInput("'messages' must be a non-empty array");
  }
  for (const char* key : {"max_tokens", "max_completion_tokens"}) {
    if (doc.contains(key) && doc[key].is_number_integer()) r->max_tokens = doc[key].get<std::int64_t>();
  }
  if (doc.contains("stream") && !doc["stream"].is_boolean()) {
    return InvalidInput("stream: expected a boolean");
  }
  r->stream = doc.contains("stream") && doc["stream"].get<bool>();
  return Status::Ok();
}

Status ReadMessages(const json& messages, bool allow_system, ChatRequest* r) {
  for (const json& m : messages) {
    if (!m.is_object() || !m.contains("role") || !m["role"].is_string()) {
      return InvalidInput("each message needs a string 'role'");
    }
    std::string role = m["role"].get<std::string>();
    std::string text = m.contains("content") ? TextOf(m["content"]) : "";
    r->prompt_chars += text.size();
    ++r->messages;
    if (allow_system && (role == "system" || role == "developer")) {
      if (!r->system.empty()) r->system += "\n\n";
      r->system += text;
    } else if (role == "user") {
      r->user = text;
    }
  }
  return Status::Ok();
}

json Usage(const Completion& c) {
  return {{"prompt_tokens", c.prompt_tokens},
          {"completion_tokens", c.completion_tokens},
          {"total_tokens", c.prompt_tokens + c.completion_tokens},
          {"prompt_tokens_details", {{"cached_tokens", c.cached_tokens}, {"audio_tokens", 0}}},
          {"completion_tokens_details",
           {{"reasoning_tokens", 0}, {"audio_tokens", 0}, {"accepted_prediction_tokens", 0},
            {"rejected_prediction_tokens", 0}}}};
}

}  // namespace

Result<ChatRequest> ParseOpenAiRequest(std::string_view body) {
  std::optional<json> doc = ParseBody(body);
  if (!doc) return InvalidInput("We could not parse the JSON body of your request.");
  ChatRequest r;
  if (Status s = ReadCommon(*doc, &r); !s.ok()) return s.error();
  if (Status s = ReadMessages((*doc)["messages"], true, &r); !s.ok()) return s.error();
  const json& d = *doc;
  if (d.contains("tools") && d["tools"].is_array() && !d["tools"].empty()) {
    const json& first = d["tools"][0];
    r.tool_name = first.is_object() && first.contains("function") && first["function"].is_object()
                      ? first["function"].value("name", "answer")
                      : "answer";
    const json* choice = d.contains("tool_choice") ? &d["tool_choice"] : nullptr;
    if (choice && choice->is_object() && choice->contains("function") &&
        (*choice)["function"].is_object()) {
      r.tool_name = (*choice)["function"].value("name", *r.tool_name);
    }
  }
  return r;
}

Result<ChatRequest> ParseAnthropicRequest(std::string_view body) {
  std::optional<json> doc = ParseBody(body);
  if (!doc) return InvalidInput("messages: the request body is not valid JSON");
  ChatRequest r;
  if (Status s = ReadCommon(*doc, &r); !s.ok()) return s.error();
  const json& d = *doc;
  if (!r.max_tokens) return InvalidInput("max_tokens: Field required");
  if (d.contains("system")) {
    r.system = TextOf(d["system"]);
    r.prompt_chars += r.system.size();
    ++r.messages;
  }
  if (Status s = ReadMessages(d["messages"], false, &r); !s.ok()) return s.error();
  if (d.contains("tools") && d["tools"].is_array() && !d["tools"].empty()) {
    const json& first = d["tools"][0];
    r.tool_name = first.is_object() ? first.value("name", "answer") : "answer";
    const json* choice = d.contains("tool_choice") ? &d["tool_choice"] : nullptr;
    if (choice && choice->is_object() && choice->value("type", "") == "tool") {
      r.tool_name = choice->value("name", *r.tool_name);
    }
  }
  return r;
}

json OpenAiResponse(const Completion& c) {
  json message = {{"role", "assistant"}, {"content", nullptr}, {"refusal", nullptr},
                  {"annotations", json::array()}};
  std::string finish = c.answer.truncated ? "length" : "stop";
  bool as_tool = false;
  if (c.tool_name) {
    as_tool = c.answer.truncated || !json::parse(c.answer.text, nullptr, false).is_discarded();
  }
  if (as_tool) {
    message["tool_calls"] = json::array({{{"id", c.tool_call_id},
                                          {"type", "function"},
                                          {"function", {{"name", *c.tool_name},
                                                        {"arguments", c.answer.text}}}}});
    if (!c.answer.truncated) finish = "tool_calls";
  } else {
    message["content"] = c.answer.text;
  }
  return {{"id", c.id},
          {"object", "chat.completion"},
          {"created", c.created},
          {"model", c.model},
          {"system_fingerprint", c.fingerprint},
          {"service_tier", "default"},
          {"choices", json::array({{{"index", 0},
                                    {"message", std::move(message)},
                                    {"logprobs", nullptr},
                                    {"finish_reason", finish}}})},
          {"usage", Usage(c)}};
}

json AnthropicResponse(const Completion& c) {
  json block;
  std::string stop = c.answer.truncated ? "max_tokens" : "end_turn";
  json input = c.tool_name && !c.answer.truncated ? json::parse(c.answer.text, nullptr, false)
                                                  : json(nullptr);
  if (input.is_object()) {
    block = {{"type", "tool_use"}, {"id", c.tool_call_id}, {"name", *c.tool_name},
             {"input", std::move(input)}};
    stop = "tool_use";
  } else {
    block = {{"type", "text"}, {"text", c.answer.text}};
  }
  return {{"id", c.id},
          {"type", "message"},
          {"role", "assistant"},
          {"model", c.model},
          {"content", json::array({std::move(block)})},
          {"stop_reason", stop},
          {"stop_sequence", nullptr},
          {"usage",
           {{"input_tokens", c.prompt_tokens - c.cached_tokens - c.cache_write_tokens},
            {"cache_creation_input_tokens", c.cache_write_tokens},
            {"cache_read_input_tokens", c.cached_tokens},
            {"output_tokens", c.completion_tokens}}}};
}

json OpenAiError(const std::string& message, const std::string& type,
                 const std::optional<std::string>& code) {
  return {{"error", {{"message", message}, {"type", type}, {"param", nullptr},
                     {"code", code ? json(*code) : json(nullptr)}}}};
}

json AnthropicError(const std::string& type, const std::string& message) {
  return {{"type", "error"}, {"error", {{"type", type}, {"message", message}}}};
}

}  // namespace comply::mock
