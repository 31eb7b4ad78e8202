import Foundation
import Testing

@testable import CellarCore

@Suite("Manifest written as a stream and read back one node at a time")
struct ManifestStreamTests {
  private let header = ManifestHeader(
    tool: .init(name: "cellar", version: "0.1.0"), server: .init(url: "https://cells.example.com", version: "4.4.0"),
    context: "user", sources: ["common-files"], startedAt: "2026-11-28T02:00:00Z")

  private func nodes(_ count: Int) -> [ManifestNode] {
    (0..<count).map { index in
      ManifestNode(
        path: "common-files/caf\u{65}\u{301}/\(index) \"quoted\"\n.txt", type: ManifestNode.fileType, uuid: "u\(index)",
        size: Int64(index), mtime: 1_700_000_000, etag: "e", contentHash: "h", sha256: "s",
        metaStore: ["name": "\"\(index).txt\"", "usermeta-tags": "\"a,b\""],
        userMeta: [.init(namespace: "bookmark", jsonValue: "true")])
    }
  }

  private func write(_ nodes: [ManifestNode], archive: ManifestTrailer.Archive?) throws -> (
    body: [UInt8], sidecar: [UInt8]
  ) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID())").path
    let file = try PartialFile(path: path)
    let writer = try ManifestWriter(fileDescriptor: file.fileDescriptor, path: path, header: header)
    for node in nodes { try writer.add(node) }
    let trailer = ManifestTrailer(
      finishedAt: "2026-11-28T02:03:10Z",
      summary: .init(folders: 0, files: nodes.count, bytes: 1, skipped: 0, errors: 1),
      namespaces: [.init(namespace: "usermeta-tags", label: "Tags", jsonDefinition: "{\"type\":\"tags\"}")],
      errors: [.init(path: "common-files/x", message: "denied")])
    try writer.finishBody(trailer)
    let bodyLength = Int(writer.length)
    if let archive { try writer.finishSidecar(archive: archive) }
    try file.commit()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    return (Array(bytes.prefix(bodyLength)) + ManifestWriter.memberEnding, bytes)
  }

  @Test("the sidecar and the archive's copy are valid JSON and read back the same nodes", arguments: [0, 1, 3, 500])
  func roundTrip(count: Int) throws {
    let archive = ManifestTrailer.Archive(name: "a.tar.gz", format: "tar.gz", bytes: 42, sha256: "abc")
    let (member, sidecar) = try write(nodes(count), archive: archive)
    for (document, expectedArchive) in [(member, nil), (sidecar, archive)] as [([UInt8], ManifestTrailer.Archive?)] {
      // Any JSON parser reads it.
      let parsed = try #require(try JSONSerialization.jsonObject(with: Data(document)) as? [String: Any])
      #expect((parsed["nodes"] as? [Any])?.count == count)
      // cellar's reader streams it.
      var chunks = stride(from: 0, to: document.count, by: 7).map { Array(document[$0..<min($0 + 7, document.count)]) }
      let reader = ManifestReader(source: "test") { chunks.isEmpty ? nil : chunks.removeFirst() }
      #expect(try reader.header() == header)
      var read: [ManifestNode] = []
      while let node = try reader.nextNode() { read.append(node) }
      #expect(read == nodes(count))
      let trailer = try reader.trailer()
      #expect(trailer.archive == expectedArchive)
      #expect(trailer.errors.map(\.path) == ["common-files/x"])
      #expect(trailer.summary.files == count)
    }
  }

  @Test("a manifest pretty-printed by another tool is still read, whole")
  func otherLayout() throws {
    let (member, _) = try write(nodes(2), archive: nil)
    let object = try JSONSerialization.jsonObject(with: Data(member))
    let pretty = Array(try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]))
    var once: [UInt8]? = pretty
    let reader = ManifestReader(source: "pretty") {
      defer { once = nil }; return once
    }
    #expect(try reader.header().sources == ["common-files"])
    #expect(try reader.nextNode()?.uuid == "u0")
    #expect(try reader.nextNode()?.uuid == "u1")
    #expect(try reader.nextNode() == nil)
    #expect(try reader.trailer().summary.files == 2)
  }

  @Test("damage is reported with the line it is on; a future format is refused")
  func damage() throws {
    let (sidecar, _) = try write(nodes(3), archive: nil)
    var text = String(decoding: sidecar, as: UTF8.self)
    text = text.replacingOccurrences(of: "\"uuid\":\"u1\"", with: "\"uuid\":")
    var once: [UInt8]? = Array(text.utf8)
    let reader = ManifestReader(source: "damaged.json") {
      defer { once = nil }; return once
    }
    _ = try reader.header()
    _ = try reader.nextNode()
    #expect(throws: ManifestError.self) { _ = try reader.nextNode() }
    do {
      _ = try reader.nextNode()
    } catch let error as ManifestError {
      #expect(error.description.contains("damaged.json"))
    }

    var future: [UInt8]? = Array(
      String(decoding: sidecar, as: UTF8.self)
        .replacingOccurrences(of: "\"cellarManifest\":1", with: "\"cellarManifest\":2").utf8)
    let newer = ManifestReader(source: "future.json") {
      defer { future = nil }; return future
    }
    #expect(throws: ManifestError.unsupportedVersion(source: "future.json", version: 2)) { _ = try newer.header() }
  }

  @Test("a manifest cut short is an error, not a shorter list")
  func truncated() throws {
    let (_, sidecar) = try write(nodes(3), archive: nil)
    var cut: [UInt8]? = Array(sidecar.prefix(sidecar.count / 2))
    let reader = ManifestReader(source: "cut.json") {
      defer { cut = nil }; return cut
    }
    #expect(throws: ManifestError.self) {
      _ = try reader.header()
      while try reader.nextNode() != nil {}
    }
  }
}
