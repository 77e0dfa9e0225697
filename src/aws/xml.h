// A minimal, forgiving XML reader for S3 responses (ListBucketResult, Error): elements, text, entities and
// CDATA. Attributes, namespaces, processing instructions, comments and DOCTYPE are skipped. Not a validating
// parser; it only refuses input whose tags do not nest. Pure functions, thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace brewline::aws {

struct XmlElement {
  std::string name;  // local name (any "prefix:" dropped)
  std::string text;  // concatenated character data directly inside this element, entities decoded
  std::vector<XmlElement> children;

  // The first child with this name, or nullptr.
  const XmlElement* Child(std::string_view child_name) const;
  // The text of the first child with this name, or "".
  std::string ChildText(std::string_view child_name) const;
  std::vector<const XmlElement*> Children(std::string_view child_name) const;
};

// Parses a document and returns its root element. Corruption when tags do not match or nothing is there.
Result<XmlElement> ParseXml(std::string_view text);

// Decodes &amp; &lt; &gt; &quot; &apos; &#N; &#xH; (UTF-8 out). Unknown entities are kept literally.
std::string DecodeXmlEntities(std::string_view s);

}  // namespace brewline::aws
