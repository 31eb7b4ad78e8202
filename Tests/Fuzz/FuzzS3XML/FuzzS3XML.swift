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

#if FUZZING
  /// `make fuzz`: libFuzzer calls this with each input it makes.
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
  }
#endif

/// Built normally, the target replays the inputs named on its command line.
@main
struct Fuzz {
  static func main() {
    #if FUZZING
      LibFuzzer.run(fuzzerTestOneInput)
    #else
      CorpusReplay.run(fuzz)
    #endif
  }
}
