// Fuzz target: the SigV4 Authorization header parser (the sandbox parses every request's).
import FuzzSupport
import S3Kit

/// Any header gives an authorization or an error, never a crash; what parses has a signature
/// of hex digits and a scope whose date is eight digits.
func fuzz(_ bytes: [UInt8]) {
  guard let header = String(validating: bytes, as: UTF8.self),
    let authorization = try? SigV4Authorization(parsing: header)
  else { return }
  precondition(authorization.signature.utf8.allSatisfy { $0 < 0x80 && Character(Unicode.Scalar($0)).isHexDigit })
  precondition(authorization.date.utf8.count == 8)
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
