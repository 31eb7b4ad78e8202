import Foundation
// Fuzz target: the hand-written manifest node parser, against JSONDecoder and its own encoder.
import FuzzSupport

@testable import CellarCore

/// Whatever the fast parser accepts, JSONDecoder reads as the same node, and the encoder writes
/// back to text the parser reads as that node again.
func fuzz(_ bytes: [UInt8]) {
  guard let node = ManifestNodeParser.parse(bytes) else { return }
  let decoded = try? JSONDecoder().decode(ManifestNode.self, from: Data(bytes))
  precondition(decoded == node, "the parser and JSONDecoder disagree")
  let encoded = ManifestNodeEncoder.encode(node)
  precondition(ManifestNodeParser.parse(encoded) == node, "encoding and parsing again changes the node")
}

@main
struct Fuzz {
  static func main() { FuzzTarget.main(fuzz) }
}
