// Tests for S3Path: keys reach the server exactly as they were signed.
import Testing

@testable import S3Kit

@Suite struct S3PathTests {
  @Test(arguments: [
    ("common-files/my folder/a b.txt", "/io/common-files/my%20folder/a%20b.txt"),
    ("a+b#c%d?e=f&g~h", "/io/a%2Bb%23c%25d%3Fe%3Df%26g~h"),
    ("caf\u{E9}", "/io/caf%C3%A9"),  // NFC
    ("cafe\u{301}", "/io/cafe%CC%81"),  // NFD, not normalised to NFC
    ("dir/./x/../y//z", "/io/dir/./x/../y//z"),
    ("/leading", "/io//leading"),
    ("-_.~", "/io/-_.~"),
  ])
  func encodesKeys(key: String, path: String) {
    #expect(S3Path.encode(bucket: "io", key: key) == path)
  }

  @Test func canonicalURIOfAnEncodedKeyIsTheKeyItself() {
    let path = S3Path.encode(bucket: "io", key: "a b/%41+\u{1F600}/c%2F")
    #expect(URIEncoding.canonicalPath(path) == path)
  }

  @Test func queryKeepsOrderAndEncodesSlashes() {
    let query = S3Path.encodeQuery([
      (name: "list-type", value: "2"), (name: "prefix", value: "a b/"),
      (name: "delimiter", value: "/"), (name: "uploads", value: nil), (name: "empty", value: ""),
    ])
    #expect(query == "list-type=2&prefix=a%20b%2F&delimiter=%2F&uploads&empty=")
  }

  @Test func targets() {
    #expect(S3Path.target(bucket: "io") == "/io")
    #expect(
      S3Path.target(bucket: "io", query: [(name: "list-type", value: "2")]) == "/io?list-type=2")
    #expect(
      S3Path.target(bucket: "data", key: "a b", query: [(name: "uploads", value: nil)])
        == "/data/a%20b?uploads")
  }
}
