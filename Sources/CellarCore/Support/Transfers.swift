// CellarCore: how many transfers run at once, for backup and restore alike.

/// Transfer concurrency shared by the commands.
public enum Transfers {
  /// Transfers at once unless `--jobs` says otherwise.
  ///
  /// Small files are bound by each request's round trip, so more at once means more files per
  /// second (a 10,000-file backup on the bench: 3.6 s with 16, 3.2 s with 32); memory does not grow
  /// with it, as read-ahead, uploads and large-file ranges each have a byte budget of their own.
  public static let defaultJobs = 32
}
