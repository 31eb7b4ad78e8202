// CellarCLITests: the man page's JSON OUTPUT section lists the whole typed vocabulary of the
// `--json` lines, no more and no less.
import CellarCore
import Foundation
import Testing

@Suite("--json vocabulary in the man page")
struct JSONVocabularyTests {
  private static let section = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("man/sections/json-output.mdoc")

  /// The `.It Cm` items of the list that follows the `.\" list: NAME` comment.
  private static func items(of list: String) throws -> [String] {
    let lines = try String(contentsOf: section, encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false)
    let start = try #require(lines.firstIndex(of: ".\\\" list: \(list)"), "no list \(list) in \(section.path)")
    var items: [String] = []
    for line in lines[(start + 1)...] {
      if line == ".El" { break }
      guard line.hasPrefix(".It Cm ") else { continue }
      for item in line.dropFirst(".It Cm ".count).components(separatedBy: " , ") {
        items.append(item.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")))
      }
    }
    return items
  }

  @Test("every event, operation, node type, action and counter is documented, and nothing else")
  func agree() throws {
    #expect(try Self.items(of: "events") == ProgressEvent.Name.allCases.map(\.rawValue))
    #expect(try Self.items(of: "operations") == CellarOperation.allCases.map(\.rawValue))
    #expect(try Self.items(of: "kinds") == NodeKind.allCases.map(\.rawValue))
    #expect(try Set(Self.items(of: "actions")) == Set(NodeAction.allCases.map(\.rawValue)))
    #expect(try Self.items(of: "actions").count == NodeAction.allCases.count, "an action listed twice")
    #expect(try Set(Self.items(of: "counters")) == Set(ProgressCounter.allCases.map(\.rawValue)))
  }

  @Test("a planned action's done form is an action too, and only planned actions change")
  func doneForms() {
    for action in NodeAction.allCases {
      #expect(action.done.done == action.done)
    }
    #expect(NodeAction.upload.done == .uploaded)
    #expect(NodeAction.verified.done == .verified)
  }
}
