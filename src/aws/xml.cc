#include "aws/xml.h"

#include <charconv>

namespace brewline::aws {
namespace {

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string LocalName(std::string_view qname) {
  size_t colon = qname.find(':');
  return std::string(colon == std::string_view::npos ? qname : qname.substr(colon + 1));
}

}  // namespace

const XmlElement* XmlElement::Child(std::string_view child_name) const {
  for (const auto& c : children) {
    if (c.name == child_name) return &c;
  }
  return nullptr;
}

std::string XmlElement::ChildText(std::string_view child_name) const {
  const XmlElement* c = Child(child_name);
  return c ? c->text : "";
}

std::vector<const XmlElement*> XmlElement::Children(std::string_view child_name) const {
  std::vector<const XmlElement*> out;
  for (const auto& c : children) {
    if (c.name == child_name) out.push_back(&c);
  }
  return out;
}

std::string DecodeXmlEntities(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 12) {
      out.push_back('&');
      continue;
    }
    std::string_view ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp") out.push_back('&');
    else if (ent == "lt") out.push_back('<');
    else if (ent == "gt") out.push_back('>');
    else if (ent == "quot") out.push_back('"');
    else if (ent == "apos") out.push_back('\'');
    else if (ent.size() > 1 && ent[0] == '#') {
      uint32_t cp = 0;
      bool hex = ent[1] == 'x' || ent[1] == 'X';
      std::string_view digits = ent.substr(hex ? 2 : 1);
      auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      if (ec != std::errc() || p != digits.data() + digits.size() || cp > 0x10FFFF) {
        out.append(s.substr(i, semi - i + 1));
      } else {
        AppendUtf8(&out, cp);
      }
    } else {
      out.append(s.substr(i, semi - i + 1));
    }
    i = semi;
  }
  return out;
}

Result<XmlElement> ParseXml(std::string_view text) {
  std::vector<XmlElement> stack;
  std::vector<XmlElement> roots;
  size_t i = 0;
  while (i < text.size()) {
    size_t lt = text.find('<', i);
    if (lt == std::string_view::npos) lt = text.size();
    if (!stack.empty() && lt > i) stack.back().text += DecodeXmlEntities(text.substr(i, lt - i));
    if (lt >= text.size()) break;
    std::string_view rest = text.substr(lt);
    if (rest.starts_with("<?")) {
      size_t end = text.find("?>", lt);
      if (end == std::string_view::npos) return Corruption("XML: unterminated processing instruction");
      i = end + 2;
    } else if (rest.starts_with("<!--")) {
      size_t end = text.find("-->", lt);
      if (end == std::string_view::npos) return Corruption("XML: unterminated comment");
      i = end + 3;
    } else if (rest.starts_with("<![CDATA[")) {
      size_t end = text.find("]]>", lt);
      if (end == std::string_view::npos) return Corruption("XML: unterminated CDATA");
      if (!stack.empty()) stack.back().text.append(text.substr(lt + 9, end - lt - 9));
      i = end + 3;
    } else if (rest.starts_with("<!")) {
      size_t end = text.find('>', lt);
      if (end == std::string_view::npos) return Corruption("XML: unterminated declaration");
      i = end + 1;
    } else {
      size_t gt = text.find('>', lt);
      if (gt == std::string_view::npos) return Corruption("XML: unterminated tag");
      std::string_view tag = text.substr(lt + 1, gt - lt - 1);
      i = gt + 1;
      if (tag.starts_with("/")) {
        std::string name = LocalName(tag.substr(1, tag.find_first_of(" \t\r\n") - 1));
        if (stack.empty() || stack.back().name != name) {
          return Corruption("XML: unexpected closing tag </" + name + ">");
        }
        XmlElement done = std::move(stack.back());
        stack.pop_back();
        (stack.empty() ? roots : stack.back().children).push_back(std::move(done));
        continue;
      }
      bool self_closing = tag.ends_with("/");
      if (self_closing) tag.remove_suffix(1);
      size_t name_end = tag.find_first_of(" \t\r\n");
      XmlElement el;
      el.name = LocalName(tag.substr(0, name_end));
      if (el.name.empty()) return Corruption("XML: empty tag name");
      if (self_closing) {
        (stack.empty() ? roots : stack.back().children).push_back(std::move(el));
      } else {
        stack.push_back(std::move(el));
      }
    }
  }
  if (!stack.empty()) return Corruption("XML: unclosed element <" + stack.back().name + ">");
  if (roots.empty()) return Corruption("XML: no element");
  return std::move(roots.front());
}

}  // namespace brewline::aws
