// CellarCore: which of a node's recorded metadata restore writes back.

extension ManifestNode {
  /// The user metadata restore writes back: `usermeta-*` and `bookmark` values, verbatim, from
  /// `userMeta` first, then the `usermeta-*` keys of the MetaStore it did not already give.
  ///
  /// Server-computed keys and `content_lock` are never among them (docs/cells-protocol.md, "Node JSON and MetaStore").
  var restorableMeta: [Meta] {
    var metas = (userMeta ?? []).filter { Self.isRestorable($0.namespace) }
    let given = Set(metas.map(\.namespace))
    for key in metaStore.keys.sorted() where key.hasPrefix("usermeta-") && !given.contains(key) {
      metas.append(Meta(namespace: key, jsonValue: metaStore[key]!))
    }
    return metas
  }

  private static func isRestorable(_ namespace: String) -> Bool {
    namespace.hasPrefix("usermeta-") || namespace == "bookmark"
  }
}
