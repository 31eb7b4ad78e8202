// CellsKit: what a tree walk refuses to take for a folder's content.

/// A folder whose listing the walk could not trust.
public enum TreeWalkError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Listed `TreeWalker.listingAttempts` times, the folder's listing still contradicted the server
  /// (its `ChildrenCount`, or the S3 gateway's listing).
  case contradictoryListing(folder: String, detail: String)

  /// One line for the user.
  public var description: String {
    switch self {
    case .contradictoryListing(let folder, let detail):
      "list \(folder): the server's listing contradicts itself (\(detail)), listed \(TreeWalker.listingAttempts) times"
    }
  }
}
