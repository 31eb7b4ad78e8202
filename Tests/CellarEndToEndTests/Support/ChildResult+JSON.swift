// CellarEndToEndTests: the JSON line a `--json` run ends with (its summary, or the error).
import CellarTestSupport
import Foundation
import Testing

extension ChildResult {
  /// The last line of standard output, as a JSON object.
  func lastJSONObject() throws -> [String: Any] {
    let last = try #require(stdout.split(separator: "\n").last)
    return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
  }
}
