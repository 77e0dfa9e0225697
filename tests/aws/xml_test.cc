#include <gtest/gtest.h>

#include "aws/s3_object_store.h"
#include "aws/xml.h"

namespace brewline::aws {
namespace {

TEST(XmlTest, ParsesNestedElementsEntitiesAndCdata) {
  auto doc = ParseXml(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c --><Root xmlns=\"http://x\"><A>1 &amp; 2 &lt;3&gt; &#x41;&#66;"
      "</A><B attr='x'><C><![CDATA[<raw>]]></C></B><Empty/><A>second</A></Root>");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(doc->name, "Root");
  EXPECT_EQ(doc->ChildText("A"), "1 & 2 <3> AB");
  EXPECT_EQ(doc->Child("B")->ChildText("C"), "<raw>");
  EXPECT_NE(doc->Child("Empty"), nullptr);
  EXPECT_EQ(doc->Children("A").size(), 2u);
  EXPECT_EQ(doc->Child("Missing"), nullptr);
}

TEST(XmlTest, RejectsMismatchedTagsAndEmptyInput) {
  EXPECT_EQ(ParseXml("<a><b></a>").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ParseXml("<a>").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ParseXml("").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ParseXml("<a").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodeXmlEntities("&bogus; &#xZZ; &"), "&bogus; &#xZZ; &");
  EXPECT_EQ(DecodeXmlEntities("&#x1F37A;"), "\xF0\x9F\x8D\xBA");
}

TEST(XmlTest, ParsesListBucketResult) {
  auto page = ParseListBucketResult(
      "<?xml version=\"1.0\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Name>raw</Name><Prefix>2026/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>"
      "<Contents><Key>2026/a&amp;b.json</Key><LastModified>2026-11-27T07:19:15.000Z</LastModified>"
      "<ETag>&quot;abc&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>"
      "<Contents><Key>2026/c</Key><LastModified>2026-11-27T07:19:16Z</LastModified><Size>0</Size></Contents>"
      "<CommonPrefixes><Prefix>2026/11/</Prefix></CommonPrefixes>"
      "<NextContinuationToken>tok/en==</NextContinuationToken></ListBucketResult>");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->objects.size(), 2u);
  EXPECT_EQ(page->objects[0].key, "2026/a&b.json");
  EXPECT_EQ(page->objects[0].size, 12u);
  EXPECT_EQ(page->objects[0].etag, "\"abc\"");
  EXPECT_EQ(page->objects[0].last_modified_ms, 1795763955000);
  EXPECT_EQ(page->common_prefixes, std::vector<std::string>{"2026/11/"});
  EXPECT_TRUE(page->is_truncated);
  EXPECT_EQ(page->next_continuation_token, "tok/en==");
  EXPECT_EQ(ParseListBucketResult("<Error><Code>x</Code></Error>").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ParseListBucketResult("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>")
                .status()
                .code(),
            StatusCode::kCorruption);
}

TEST(XmlTest, ParsesHttpDates) {
  EXPECT_EQ(*ParseHttpDate("Fri, 27 Nov 2026 07:19:15 GMT"), 1795763955000);
  EXPECT_FALSE(ParseHttpDate("yesterday").ok());
  EXPECT_FALSE(ParseHttpDate("Fri, 27 Xyz 2026 07:19:15 GMT").ok());
}

}  // namespace
}  // namespace brewline::aws
