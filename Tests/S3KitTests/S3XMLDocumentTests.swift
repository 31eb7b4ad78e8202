// S3KitTests: the XML reader of S3 answers: what it reads, and what it refuses.
import Testing

@testable import S3Kit

@Suite("S3 XML answers")
struct S3XMLDocumentTests {
  @Test("root fields, records and their children; entities, character references and CDATA decoded")
  func reads() throws {
    let xml = """
      <?xml version="1.0" encoding="UTF-8"?>
      <!-- a listing -->
      <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <Name>io</Name><IsTruncated>false</IsTruncated>
        <Contents><Key>ws/a &amp; b &lt;1&gt; &quot;q&quot; &apos;s&apos; &#233;&#x1F600;</Key><Size>3</Size>
          <Owner><ID>x</ID></Owner></Contents>
        <Contents><Key><![CDATA[ws/<raw> & ]]></Key><Size/></Contents>
        <CommonPrefixes><Prefix>ws/d/</Prefix></CommonPrefixes>
      </ListBucketResult>
      """
    let document = try S3XMLDocument(parsing: Array(xml.utf8), recordNames: ["Contents", "CommonPrefixes"])
    #expect(document.fields["Name"] == "io")
    #expect(document.fields["IsTruncated"] == "false")
    #expect(document.records.map(\.name) == ["Contents", "Contents", "CommonPrefixes"])
    #expect(document.records[0].fields["Key"] == "ws/a & b <1> \"q\" 's' é😀")
    #expect(document.records[0].fields["Size"] == "3")
    #expect(document.records[1].fields["Key"] == "ws/<raw> & ")
    #expect(document.records[1].fields["Size"] == "")
    #expect(document.records[2].fields["Prefix"] == "ws/d/")
  }

  @Test(
    "what is not well-formed XML, or would expand, is refused",
    arguments: [
      "", "plain text", "<a>", "<a></b>", "<a></a><b></b>", "<a>&unknown;</a>", "<a>&#0;</a>", "<a>& b</a>",
      "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", "<a b=c></a>", "<a b=\"c></a>", "<1a></1a>", "x<a></a>",
      "<a><!-- open</a>", "<a><![CDATA[open</a>", "<?xm?><a", "<a>\u{FFFD}</a>\u{1}<",
    ])
  func refuses(_ xml: String) {
    #expect(throws: S3XMLDocument.XMLFailure.self) { try S3XMLDocument(parsing: Array(xml.utf8)) }
  }

  @Test("bytes that are not UTF-8 are refused before anything else")
  func notUTF8() {
    #expect(throws: S3XMLDocument.XMLFailure.self) { try S3XMLDocument(parsing: [0x3C, 0x61, 0xFF, 0x3E]) }
  }
}
