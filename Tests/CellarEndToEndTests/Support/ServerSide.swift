// CellarEndToEndTests: changes made on the sandbox around a run, through the Cells API as any
// client would (deleting into the recycle bin, uploading a dot-file or a new version).
import CellsKit
import CellsSandbox
import Foundation
import HTTPKit

extension Sandbox {
  /// A connection as `login`, for setting a scenario up.
  func connection(as login: String = "admin") async throws -> CellsConnection {
    let settings = try ConnectionSettings(url: baseURL.absoluteString, token: token(for: login), environment: [:])
    return try await CellsConnection(settings: settings)
  }

  /// Uploads `text` to the workspace path `path`.
  func upload(_ path: String, _ text: String, as login: String = "admin") async throws {
    let bytes = Array(text.utf8)
    try await connection(as: login).s3.put(path) { .bytes(bytes) }
  }
}
