// Fuzz target: the S3 XML answers cellar reads (listings, multipart answers, errors).
import FuzzSupport

@testable import S3Kit

/// Any bytes give a document or an error, never a crash; a document's records are its own.
func fuzz(_ bytes: [UInt8]) {
  guard let document = try? S3XMLDocument(parsing: bytes, recordNames: ["Contents", "CommonPrefixes", "Part"]) else {
    return
  }
  precondition(document.records.allSatisfy { ["Contents", "CommonPrefixes", "Part"].contains($0.name) })
}

@main
struct Fuzz {
  static func main() { FuzzTarget.main(fuzz) }
}
