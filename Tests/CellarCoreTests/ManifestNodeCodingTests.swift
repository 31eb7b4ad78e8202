import Foundation
import Testing

@testable import CellarCore

@Suite("Manifest nodes written and read without JSONEncoder and JSONDecoder")
struct ManifestNodeCodingTests {
  private static let nodes: [ManifestNode] = [
    ManifestNode(path: "common-files/W1", type: ManifestNode.folderType, uuid: "f-1", mtime: 1_795_936_132),
    ManifestNode(
      path: "common-files/caf\u{65}\u{301}/\"quoted\"\\ back/tab\there\nnew/\u{1}ctl/😀/\u{2028}",
      type: ManifestNode.fileType,
      uuid: "u-2", size: 0, mtime: -1, etag: "", contentHash: "h", sha256: "s", check: "cells-hash-parts",
      wholeContentHash: "w",
      metaStore: [
        "name": "\"😀.txt\"", "usermeta-tags": "\"a,b\"", "mime": "\"text/plain\"", "empty": "",
        "nested": #"{"a":[1,2,{"b":"\u00e9"}]}"#, "B": "\u{1b}\u{1f}\u{8}\u{c}\r\u{0}\u{7f}", "a10": "x", "a9": "y",
        "é": "e", "ｆ": "f", "😀": "\u{2028}", "_x": "z", "ChildrenCount": "3",
      ],
      userMeta: [.init(namespace: "bookmark", jsonValue: "true"), .init(namespace: "usermeta-x", jsonValue: "\"\"")]),
    ManifestNode(
      path: "a/b", type: ManifestNode.fileType, uuid: "u-3", size: Int64.max, mtime: Int64.min,
      versions: [
        .init(versionId: "v1", member: ".cellar/versions/a/b/v1", size: 3, mtime: 5),
        .init(
          versionId: "v2", member: "m", size: 4, mtime: 6, etag: "e", sha256: "s", description: "first / \"draft\""),
      ],
      stored: .init(archive: "full.tar.gz", sha256: "abc", member: "a/old"), movedFrom: "a/old"),
    ManifestNode(path: "x", type: ManifestNode.fileType, uuid: "u-4", mtime: 0, userMeta: [], versions: []),
  ]

  @Test("a node is written byte for byte as JSONEncoder with the manifest's options writes it", arguments: nodes)
  func writtenAsJSONEncoderDoes(node: ManifestNode) throws {
    let written = ManifestNodeEncoder.encode(node)
    // As text for a readable difference; as bytes because String equality ignores normalization.
    #expect(
      String(decoding: written, as: UTF8.self)
        == String(decoding: try ManifestLayout.encoder().encode(node), as: UTF8.self))
    #expect(written == Array(try ManifestLayout.encoder().encode(node)))
  }

  @Test("what ManifestWriter writes reads back the same as through JSONDecoder", arguments: nodes)
  func writtenForm(node: ManifestNode) throws {
    let json = Array(try ManifestLayout.encoder().encode(node))
    let parsed = try #require(ManifestNodeParser.parse(json))
    #expect(parsed == node)
    // String equality is canonical equivalence; the bytes must be the same too (NFD stays NFD).
    #expect(Array(parsed.path.utf8) == Array(node.path.utf8))
    #expect(parsed.metaStore.mapValues { Array($0.utf8) } == node.metaStore.mapValues { Array($0.utf8) })
    #expect(try JSONDecoder().decode(ManifestNode.self, from: Data(json)) == node)
  }

  @Test(
    "other spellings of the same JSON read the same as through JSONDecoder",
    arguments: [
      #" { "uuid" : "u" , "type":"LEAF","path":"a\/b","mtime": 12 ,"metaStore":{ } } "#,
      #"{"path":"\u00e9\u0301\ud83d\ude00\b\f\n\r\t\"\\","type":"LEAF","uuid":"u","mtime":0,"metaStore":{"k":"v"}}"#,
      "{\"path\":\"p\",\n\"type\":\"COLLECTION\",\t\"uuid\":\"u\",\r\"mtime\":-0,\"metaStore\":{}}",
    ])
  func otherSpellings(json: String) throws {
    let expected = try JSONDecoder().decode(ManifestNode.self, from: Data(json.utf8))
    #expect(ManifestNodeParser.parse(Array(json.utf8)) == expected)
  }

  @Test(
    "anything else is left to JSONDecoder",
    arguments: [
      #"{"path":"p","type":"LEAF","uuid":"u","mtime":1,"metaStore":{},"future":1}"#,  // unknown key
      #"{"path":"p","type":"LEAF","uuid":"u","mtime":1,"metaStore":{},"etag":null}"#,  // null
      #"{"path":"p","type":"LEAF","uuid":"u","mtime":1.5,"metaStore":{}}"#,  // fraction
      #"{"path":"p","type":"LEAF","uuid":"u","mtime":1e3,"metaStore":{}}"#,  // exponent
      #"{"path":"p","type":"LEAF","uuid":"u","mtime":0123,"metaStore":{}}"#,  // leading zero
      #"{"path":"p","type":"LEAF","uuid":"u","mtime":99999999999999999999,"metaStore":{}}"#,  // too big
      #"{"path":"p","type":"LEAF","uuid":"u","metaStore":{}}"#,  // mtime missing
      #"{"path":"p","type":"LEAF","uuid":"u","mtime":1}"#,  // metaStore missing
      #"{"path":"p","type":"LEAF","uuid":"u","mtime":1,"metaStore":{"k":1}}"#,  // not a string
      #"{"path":"\q","type":"LEAF","uuid":"u","mtime":1,"metaStore":{}}"#,  // bad escape
      #"{"path":"\ud83d","type":"LEAF","uuid":"u","mtime":1,"metaStore":{}}"#,  // lone surrogate
      #"{"path":"\u12G4","type":"LEAF","uuid":"u","mtime":1,"metaStore":{}}"#,  // bad hex
      "{\"path\":\"a\tb\",\"type\":\"LEAF\",\"uuid\":\"u\",\"mtime\":1,\"metaStore\":{}}",  // raw control character
      #"{"path":"p","type":"LEAF","uuid":"u","mtime":1,"metaStore":{}"#,  // cut short
      #"{"path":"p","type":"LEAF","uuid":"u","mtime":1,"metaStore":{}} x"#,  // trailing text
      #"{"path":"p","type":"LEAF","uuid":"u","mtime":1,"metaStore":{},}"#,  // trailing comma
      #"{"path":"p","type":"LEAF","uuid":"u","mtime":1,"metaStore":{},"userMeta":[{"namespace":"n"}]}"#,
      #"{"path":"p","type":"LEAF","uuid":"u","mtime":1,"metaStore":{},"stored":{"archive":"a","sha256":"s"}}"#,
      "",
    ])
  func declined(json: String) {
    #expect(ManifestNodeParser.parse(Array(json.utf8)) == nil)
  }

  @Test("bytes that are not UTF-8 are left to JSONDecoder, which refuses them")
  func notUTF8() {
    let json =
      Array(#"{"path":"a"#.utf8) + [0xFF, 0xFE] + Array(#"","type":"LEAF","uuid":"u","mtime":1,"metaStore":{}}"#.utf8)
    #expect(ManifestNodeParser.parse(json) == nil)
    #expect(throws: (any Error).self) { try JSONDecoder().decode(ManifestNode.self, from: Data(json)) }
    let inEtag =
      Array(#"{"path":"a","type":"LEAF","uuid":"u","mtime":1,"metaStore":{},"etag":""#.utf8) + [0xC3]
      + Array(#""}"#.utf8)
    #expect(ManifestNodeParser.parse(inEtag) == nil)
  }
}
