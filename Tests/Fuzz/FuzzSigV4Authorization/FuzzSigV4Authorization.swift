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

@main
struct Fuzz {
  static func main() { FuzzTarget.main(fuzz) }
}
