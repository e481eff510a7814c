#include "evaluator/schema_formats.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "evaluator/schema_regex.h"

namespace comply::schema_internal {
namespace {

bool Digit(char c) { return c >= '0' && c <= '9'; }
bool Alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool Hex(char c) { return Digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Reads exactly n digits at s[*pos] into *v.
bool Digits(std::string_view s, size_t* pos, int n, int* v) {
  if (*pos + n > s.size()) return false;
  int x = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (!Digit(c)) return false;
    x = x * 10 + (c - '0');
  }
  *pos += n;
  *v = x;
  return true;
}

bool Leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool FullDate(std::string_view s, size_t* pos) {
  int y, m, d;
  if (!Digits(s, pos, 4, &y) || *pos >= s.size() || s[(*pos)++] != '-') return false;
  if (!Digits(s, pos, 2, &m) || *pos >= s.size() || s[(*pos)++] != '-') return false;
  if (!Digits(s, pos, 2, &d)) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  int max = kDays[m - 1] + (m == 2 && Leap(y) ? 1 : 0);
  return d <= max;
}

// RFC 3339 full-time: HH:MM:SS[.frac](Z|+HH:MM|-HH:MM); a leap second only at 23:59:60 UTC.
bool FullTime(std::string_view s, size_t* pos) {
  int h, m, sec;
  if (!Digits(s, pos, 2, &h) || *pos >= s.size() || s[(*pos)++] != ':') return false;
  if (!Digits(s, pos, 2, &m) || *pos >= s.size() || s[(*pos)++] != ':') return false;
  if (!Digits(s, pos, 2, &sec)) return false;
  if (h > 23 || m > 59 || sec > 60) return false;
  if (*pos < s.size() && s[*pos] == '.') {
    ++*pos;
    size_t start = *pos;
    while (*pos < s.size() && Digit(s[*pos])) ++*pos;
    if (*pos == start) return false;
  }
  if (*pos >= s.size()) return false;
  char z = s[(*pos)++];
  int oh = 0, om = 0, sign = 0;
  if (z == 'Z' || z == 'z') {
    sign = 0;
  } else if (z == '+' || z == '-') {
    sign = z == '+' ? 1 : -1;
    if (!Digits(s, pos, 2, &oh) || *pos >= s.size() || s[(*pos)++] != ':') return false;
    if (!Digits(s, pos, 2, &om)) return false;
    if (oh > 23 || om > 59) return false;
  } else {
    return false;
  }
  if (sec == 60) {
    int utc = (h * 60 + m - sign * (oh * 60 + om)) % 1440;
    if (utc < 0) utc += 1440;
    if (utc != 23 * 60 + 59) return false;
  }
  return true;
}

bool DateTime(std::string_view s) {
  size_t pos = 0;
  if (!FullDate(s, &pos)) return false;
  if (pos >= s.size() || (s[pos] != 'T' && s[pos] != 't')) return false;
  ++pos;
  return FullTime(s, &pos) && pos == s.size();
}

bool Date(std::string_view s) {
  size_t pos = 0;
  return FullDate(s, &pos) && pos == s.size();
}

bool Time(std::string_view s) {
  size_t pos = 0;
  return FullTime(s, &pos) && pos == s.size();
}

// ISO 8601 duration as RFC 3339 Appendix A: P[nY][nM][nD][T[nH][nM][nS]] or PnW.
bool Duration(std::string_view s) {
  if (s.size() < 2 || s[0] != 'P') return false;
  size_t pos = 1;
  auto number = [&]() {
    size_t start = pos;
    while (pos < s.size() && Digit(s[pos])) ++pos;
    return pos > start;
  };
  size_t save = pos;
  if (number() && pos < s.size() && s[pos] == 'W') return pos + 1 == s.size();
  pos = save;
  const char* date_units = "YMD";
  int unit = 0;
  bool any = false;
  while (pos < s.size() && s[pos] != 'T') {
    if (!number() || pos >= s.size()) return false;
    while (date_units[unit] != '\0' && date_units[unit] != s[pos]) ++unit;
    if (date_units[unit] == '\0') return false;
    ++unit;
    ++pos;
    any = true;
  }
  if (pos < s.size() && s[pos] == 'T') {
    ++pos;
    const char* time_units = "HMS";
    unit = 0;
    bool any_time = false;
    while (pos < s.size()) {
      if (!number() || pos >= s.size()) return false;
      while (time_units[unit] != '\0' && time_units[unit] != s[pos]) ++unit;
      if (time_units[unit] == '\0') return false;
      ++unit;
      ++pos;
      any_time = true;
    }
    return any_time;
  }
  return any;
}

bool Hostname(std::string_view s, bool allow_unicode) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  if (s.empty() || s.size() > 253) return false;
  size_t start = 0;
  while (start <= s.size()) {
    size_t dot = s.find('.', start);
    std::string_view label = s.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      bool ok = Alpha(c) || Digit(c) || c == '-' || (allow_unicode && static_cast<unsigned char>(c) >= 0x80);
      if (!ok) return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

bool Ipv4(std::string_view s) {
  int parts = 0;
  size_t pos = 0;
  while (true) {
    size_t start = pos;
    int v = 0;
    while (pos < s.size() && Digit(s[pos]) && pos - start < 3) v = v * 10 + (s[pos++] - '0');
    size_t len = pos - start;
    if (len == 0 || v > 255 || (len > 1 && s[start] == '0')) return false;
    ++parts;
    if (pos == s.size()) break;
    if (s[pos] != '.' || parts == 4) return false;
    ++pos;
  }
  return parts == 4;
}

bool Ipv6(std::string_view s) {
  if (s.empty()) return false;
  int groups = 0;
  bool compressed = false;
  size_t pos = 0;
  if (s.substr(0, 2) == "::") {
    compressed = true;
    pos = 2;
    if (pos == s.size()) return true;
  } else if (s[0] == ':') {
    return false;
  }
  while (pos < s.size()) {
    size_t start = pos;
    while (pos < s.size() && Hex(s[pos])) ++pos;
    size_t len = pos - start;
    if (pos < s.size() && s[pos] == '.') {
      // An embedded IPv4 address takes the last two groups.
      if (!Ipv4(s.substr(start))) return false;
      groups += 2;
      pos = s.size();
      break;
    }
    if (len == 0 || len > 4) return false;
    ++groups;
    if (pos == s.size()) break;
    if (s[pos] != ':') return false;
    ++pos;
    if (pos < s.size() && s[pos] == ':') {
      if (compressed) return false;
      compressed = true;
      ++pos;
      if (pos == s.size()) break;
    } else if (pos == s.size()) {
      return false;  // a trailing single ':'
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

bool Email(std::string_view s, bool allow_unicode) {
  size_t at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size()) return false;
  std::string_view local = s.substr(0, at);
  std::string_view domain = s.substr(at + 1);
  if (local.size() >= 2 && local.front() == '"' && local.back() == '"') {
    // quoted local part: anything printable but an unescaped quote
  } else {
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
    for (char c : local) {
      unsigned char u = static_cast<unsigned char>(c);
      bool ok = Alpha(c) || Digit(c) || std::string_view("!#$%&'*+-/=?^_`{|}~.").find(c) != std::string_view::npos ||
                (allow_unicode && u >= 0x80);
      if (!ok) return false;
    }
  }
  if (domain.front() == '[' && domain.back() == ']') {
    std::string_view ip = domain.substr(1, domain.size() - 2);
    if (ip.substr(0, 5) == "IPv6:") return Ipv6(ip.substr(5));
    return Ipv4(ip);
  }
  return Hostname(domain, allow_unicode);
}

// RFC 3986 characters allowed unencoded in a URI (beside '%' escapes); IRIs add non-ASCII.
bool UriChar(char c, bool iri) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x80) return iri;
  return Alpha(c) || Digit(c) || std::string_view("-._~:/?#[]@!$&'()*+,;=").find(c) != std::string_view::npos;
}

bool UriBody(std::string_view s, bool iri) {
  int hashes = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !Hex(s[i + 1]) || !Hex(s[i + 2])) return false;
      i += 2;
      continue;
    }
    if (c == '#' && ++hashes > 1) return false;
    if (!UriChar(c, iri)) return false;
  }
  // Brackets only around an IP literal host.
  size_t auth = s.find("//");
  size_t lb = s.find('[');
  if (lb != std::string_view::npos) {
    if (auth == std::string_view::npos || lb != auth + 2) {
      size_t at = s.find('@', auth == std::string_view::npos ? 0 : auth);
      if (at == std::string_view::npos || lb != at + 1) return false;
    }
    size_t rb = s.find(']', lb);
    if (rb == std::string_view::npos) return false;
    std::string_view host = s.substr(lb + 1, rb - lb - 1);
    if (!Ipv6(host) && !(host.size() > 1 && (host[0] == 'v' || host[0] == 'V'))) return false;
  }
  return true;
}

size_t SchemeLength(std::string_view s) {
  if (s.empty() || !Alpha(s[0])) return 0;
  size_t i = 1;
  while (i < s.size() && (Alpha(s[i]) || Digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) ++i;
  return i < s.size() && s[i] == ':' ? i : 0;
}

bool Uri(std::string_view s, bool iri) {
  size_t scheme = SchemeLength(s);
  if (scheme == 0) return false;
  std::string_view rest = s.substr(scheme + 1);
  if (rest.substr(0, 2) == "//") {
    std::string_view authority = rest.substr(2, rest.find_first_of("/?#", 2) - 2);
    if (authority.find_first_of("\\ ") != std::string_view::npos) return false;
    std::string_view host = authority.substr(authority.find('@') == std::string_view::npos ? 0 : authority.find('@') + 1);
    // An IPv6 host must be bracketed: more than one ':' outside brackets is not a host[:port].
    if (!host.empty() && host[0] != '[' && std::count(host.begin(), host.end(), ':') > 1) return false;
  }
  return UriBody(rest, iri);
}

bool UriReference(std::string_view s, bool iri) {
  size_t scheme = SchemeLength(s);
  if (scheme > 0) return Uri(s, iri);
  // A relative reference: its first segment may not contain ':'.
  size_t colon = s.find(':');
  size_t slash = s.find_first_of("/?#");
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash)) return false;
  return UriBody(s, iri);
}

bool UriTemplate(std::string_view s) {
  bool in_expr = false;
  for (char c : s) {
    if (c == '{') {
      if (in_expr) return false;
      in_expr = true;
    } else if (c == '}') {
      if (!in_expr) return false;
      in_expr = false;
    }
  }
  return !in_expr;
}

bool Uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !Hex(s[i])) return false;
  }
  return true;
}

bool JsonPointer(std::string_view s) {
  if (s.empty()) return true;
  if (s[0] != '/') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '~' && (i + 1 >= s.size() || (s[i + 1] != '0' && s[i + 1] != '1'))) return false;
  }
  return true;
}

bool RelativeJsonPointer(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && Digit(s[i])) ++i;
  if (i == 0 || (i > 1 && s[0] == '0')) return false;
  std::string_view rest = s.substr(i);
  return rest == "#" || JsonPointer(rest);
}

bool Regex(std::string_view s) {
  std::string out, problem;
  return TranslateEcmaPattern(s, &out, &problem) != PatternStatus::kSyntaxError;
}

}  // namespace

Format FormatFromName(std::string_view n) {
  if (n == "date-time") return Format::kDateTime;
  if (n == "date") return Format::kDate;
  if (n == "time") return Format::kTime;
  if (n == "duration") return Format::kDuration;
  if (n == "email") return Format::kEmail;
  if (n == "idn-email") return Format::kIdnEmail;
  if (n == "hostname") return Format::kHostname;
  if (n == "idn-hostname") return Format::kIdnHostname;
  if (n == "ipv4") return Format::kIpv4;
  if (n == "ipv6") return Format::kIpv6;
  if (n == "uri") return Format::kUri;
  if (n == "uri-reference") return Format::kUriReference;
  if (n == "iri") return Format::kIri;
  if (n == "iri-reference") return Format::kIriReference;
  if (n == "uri-template") return Format::kUriTemplate;
  if (n == "uuid") return Format::kUuid;
  if (n == "json-pointer") return Format::kJsonPointer;
  if (n == "relative-json-pointer") return Format::kRelativeJsonPointer;
  if (n == "regex") return Format::kRegex;
  return Format::kUnknown;
}

bool CheckFormat(Format format, std::string_view v) {
  switch (format) {
    case Format::kUnknown: return true;
    case Format::kDateTime: return DateTime(v);
    case Format::kDate: return Date(v);
    case Format::kTime: return Time(v);
    case Format::kDuration: return Duration(v);
    case Format::kEmail: return Email(v, false);
    case Format::kIdnEmail: return Email(v, true);
    case Format::kHostname: return Hostname(v, false);
    case Format::kIdnHostname: return Hostname(v, true);
    case Format::kIpv4: return Ipv4(v);
    case Format::kIpv6: return Ipv6(v);
    case Format::kUri: return Uri(v, false);
    case Format::kUriReference: return UriReference(v, false);
    case Format::kIri: return Uri(v, true);
    case Format::kIriReference: return UriReference(v, true);
    case Format::kUriTemplate: return UriTemplate(v);
    case Format::kUuid: return Uuid(v);
    case Format::kJsonPointer: return JsonPointer(v);
    case Format::kRelativeJsonPointer: return RelativeJsonPointer(v);
    case Format::kRegex: return Regex(v);
  }
  return true;
}

}  // namespace comply::schema_internal
