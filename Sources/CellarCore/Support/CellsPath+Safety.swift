// CellarCore: the safety rule of Cells paths that a restore follows: ArchiveKit's member-name
// rule, the one place that decides which names are safe (see docs/architecture.md, "Where is
// what").
import ArchiveKit
import CellsKit

extension CellsPath {
  /// Why a restore must not follow `path` as a manifest or archive gives it (absolute, a `.` or
  /// `..` component, an empty one, a NUL byte), or nil when it is safe.
  ///
  /// Checked on the text as given, before it becomes a `CellsPath` (which would drop a leading
  /// slash).
  static func problem(in path: String) -> String? {
    MemberName.problem(in: path)
  }
}
