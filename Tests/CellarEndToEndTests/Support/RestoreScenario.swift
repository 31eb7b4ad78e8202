// CellarEndToEndTests: what the restore tests share: an empty server to restore into, a backup
// to restore, and a comparison of two trees by the sandbox's own dump.
import CellarTestSupport
import CellsSandbox
import Foundation
import Testing

/// Helpers for restore scenarios.
enum RestoreScenario {
  /// A server with the usual users and workspaces (and the `usermeta-tags` namespace every
  /// server has) but no files: the place a disaster recovery restores into.
  static var emptyServer: Seed {
    Seed(
      users: [
        User(login: "admin", password: "admin", isAdmin: true), User(login: "alice", password: "alice"),
        User(login: "bob", password: "bob"),
      ],
      workspaces: [
        Workspace(
          uuid: "0c0e5ab1-c0b1-4c6a-9c7e-000000000003", slug: "projects", label: "Projects",
          datasource: "cellsdata", root: "projects", readers: ["bob"], writers: ["admin", "alice"])
      ])
  }

  /// A small tree with metadata: tags, stars (a namespace only this server has) and bookmarks.
  static var smallTree: Seed {
    var seed = emptyServer
    seed.namespaces = [.init(name: "usermeta-stars", label: "Stars", definition: "{\"type\":\"stars_rate\"}")]
    seed.entries = [
      .folder("pydiods1/Docs/Empty", meta: ["usermeta-tags": "\"empty\""]),
      .file(
        "pydiods1/Docs/plan.txt", .text("the plan\n"), mime: "text/plain",
        meta: ["usermeta-tags": "\"finance,2024\"", "usermeta-stars": "\"4\""], bookmarkedBy: ["admin"]),
      .file("pydiods1/Docs/notes.md", .text("# notes\n"), mime: "text/markdown"),
      .file("pydiods1/Docs/sub/deep.txt", .text("deep\n"), mime: "text/plain", meta: ["usermeta-tags": "\"deep\""]),
      .file("pydiods1/Docs/.hidden", .text("dot\n"), mime: "text/plain"),
      .file("pydiods1/Docs/zero.txt", .text(""), mime: "text/plain"),
      .file("pydiods1/Docs/caf\u{E9}.txt", .text("NFC\n"), mime: "text/plain"),
      .file("pydiods1/Docs/cafe\u{301}.txt", .text("NFD\n"), mime: "text/plain"),
    ]
    return seed
  }

  /// Backs the demo seed's `common-files` up into `archive` on a sandbox of its own and returns
  /// that server's dump, the reference a restore is compared with.
  static func backUpDemo(to archive: String) async throws -> SandboxDump {
    try await withSandbox(seed: .demo) { source in
      try await backup(source, "common-files", to: archive)
      return try await SandboxDump.fetch(source)
    }
  }

  /// Backs `source` up from `sandbox` into `archive` as admin.
  static func backup(_ sandbox: Sandbox, _ source: String, to archive: String) async throws {
    let run = try await Cellar(sandbox: sandbox).run(["backup", source, "--output", archive, "--quiet"])
    try #require(run.status == 0, "backup failed: \(run.stderr)")
  }

  /// Checks that the nodes below `restored` on `target` are those below `original` on `source`:
  /// same relative paths (as bytes), types, sizes, SHA-256, `usermeta-*` values and the admin's
  /// bookmark; new Uuids.
  static func expectSameTree(
    _ source: SandboxDump, _ original: String, _ target: SandboxDump, _ restored: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let before = source.below(original)
    let after = target.below(restored)
    let missing = Set(before.keys).subtracting(after.keys).map { String(decoding: $0, as: UTF8.self) }.sorted()
    let extra = Set(after.keys).subtracting(before.keys).map { String(decoding: $0, as: UTF8.self) }.sorted()
    #expect(missing == [], "missing after restore", sourceLocation: sourceLocation)
    #expect(extra == [], "not in the original", sourceLocation: sourceLocation)
    for (key, old) in before {
      guard let new = after[key] else { continue }
      let path = String(decoding: key, as: UTF8.self)
      #expect(new.type == old.type, "\(path)", sourceLocation: sourceLocation)
      #expect(new.sha256 == old.sha256, "\(path)", sourceLocation: sourceLocation)
      if old.type == "LEAF" { #expect(new.size == old.size, "\(path)", sourceLocation: sourceLocation) }
      #expect(new.uuid != old.uuid, "\(path) has a new Uuid", sourceLocation: sourceLocation)
      #expect(new.restorableMeta == old.restorableMeta, "\(path)", sourceLocation: sourceLocation)
      #expect(
        new.metaStore?["x-cells-hash"] == old.metaStore?["x-cells-hash"], "\(path)", sourceLocation: sourceLocation)
    }
  }
}

extension SandboxDump {
  /// The nodes strictly below the datasource path `prefix`, by relative path as bytes (`.pydio`
  /// markers and recycle bins left out).
  func below(_ prefix: String) -> [[UInt8]: Node] {
    var kept: [[UInt8]: Node] = [:]
    for node in nodes where node.path.utf8.starts(with: (prefix + "/").utf8) {
      let relative = Array(node.path.utf8.dropFirst(prefix.utf8.count + 1))
      let text = String(decoding: relative, as: UTF8.self)
      if node.name == ".pydio" || text == "recycle_bin" || text.hasPrefix("recycle_bin/") { continue }
      kept[relative] = node
    }
    return kept
  }

  /// The node at the datasource path `path`.
  func node(_ path: String) -> Node? {
    nodes.first { Array($0.path.utf8) == Array(path.utf8) }
  }
}

extension SandboxDump.Node {
  /// The values restore writes back: `usermeta-*` and the admin's bookmark.
  var restorableMeta: [String: String] {
    (metaStore ?? [:]).filter { $0.key.hasPrefix("usermeta-") || $0.key == "bookmark:admin" }
  }
}
