// CellarEndToEndTests: every input of the fuzz corpus (Tests/Fuzz/Corpus) goes through its
// target's checks again, so that what once broke a parser keeps being tried on every run.
import CellarTestSupport
import Foundation
import Testing

@Suite("Fuzz corpus replays")
struct FuzzCorpusTests {
  static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fuzz/Corpus")

  @Test(
    "each fuzz target passes its checks on every input of its corpus",
    arguments: [
      ("FuzzManifestNode", "manifest-node"), ("FuzzS3XML", "s3-xml"),
      ("FuzzSigV4Authorization", "sigv4-authorization"), ("FuzzArchiveReader", "archive-reader"),
    ])
  func replay(_ target: String, _ folder: String) async throws {
    let inputs = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.appendingPathComponent(folder).path)
    #expect(inputs.count >= 3, "a corpus worth the name")
    let run = try await ChildProcess.run(BuiltProduct.path(target), [Self.corpus.appendingPathComponent(folder).path])
    #expect(run.status == 0, "\(run.stderr.suffix(2000))")
    #expect(run.stdout.contains("\(inputs.filter { !$0.hasPrefix(".") }.count) inputs replayed"), "\(run.stdout)")
  }
}
