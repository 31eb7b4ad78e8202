// CellsSandbox: what every sandbox has: the default datasources, workspaces and namespace.
import Foundation

extension Store {
  /// Creates the default datasources (`pydiods1`, versioned; `personal`, `cellsdata`), the `common-files`
  /// and `personal-files` workspaces and the `usermeta-tags` namespace, if missing.
  func applyBase(now: Int64) throws {
    // pydiods1 keeps versions, as the default policy of a Cells install does; the others don't.
    try addDatasource("pydiods1", versioning: true)
    try addDatasource("personal")
    try addDatasource("cellsdata")
    let existing = Set(workspaces().map(\.slug))
    if !existing.contains("common-files") {
      try addWorkspace(
        Workspace(
          uuid: "0c0e5ab1-c0b1-4c6a-9c7e-000000000001", slug: "common-files", label: "Common Files",
          datasource: "pydiods1", root: ""))
    }
    if !existing.contains("personal-files") {
      try addWorkspace(
        Workspace(
          uuid: "0c0e5ab1-c0b1-4c6a-9c7e-000000000002", slug: "personal-files", label: "My Files",
          datasource: "personal", root: "{login}"))
    }
    try write { db in
      try db.execute(
        sql: "INSERT OR IGNORE INTO namespaces VALUES ('usermeta-tags', 'Tags', 1, 1, ?, ?)",
        arguments: ["{\"type\":\"tags\"}", Store.openPolicies])
    }
  }
}
