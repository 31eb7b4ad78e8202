// ArchiveKit: where members start in a tar stream, told by the thread that formats it to the
// thread that compresses it, so that compressed frames can begin at a member.
import Synchronization

/// Member start positions in an uncompressed stream, in increasing order.
///
/// The formatting thread marks a position before it writes the member's header, so the
/// compressing thread, which sees those bytes later, always knows the boundary in time.
public final class FrameBoundaries: Sendable {
  private struct State {
    var positions: [Int64] = []
    var start = 0
    /// Positions where a frame must begin, however short the frame before it.
    var forced: [Int64] = []
  }

  private let state = Mutex(State())

  /// No boundaries yet.
  public init() {}

  /// Records that a member starts at `position` (at or after every position marked before).
  public func mark(_ position: Int64) {
    state.withLock { state in
      if let last = state.positions.last, last >= position { return }
      state.positions.append(position)
    }
  }

  /// Records that a member starts at `position` and that a frame must begin there: a reader
  /// then finds that member (the manifest, at the end) at the start of a frame.
  public func cut(at position: Int64) {
    mark(position)
    state.withLock { $0.forced.append(position) }
  }

  /// The first position after `position` where a frame must begin, forgetting those before.
  func forcedCut(after position: Int64) -> Int64? {
    state.withLock { state in
      state.forced.removeAll { $0 <= position }
      return state.forced.first
    }
  }

  /// The first marked position at or after `position`, forgetting every one before it.
  func first(atOrAfter position: Int64) -> Int64? {
    state.withLock { state in
      while state.start < state.positions.count, state.positions[state.start] < position { state.start += 1 }
      // Compact now and then so the array does not grow with the archive.
      if state.start > 4096 {
        state.positions.removeFirst(state.start)
        state.start = 0
      }
      return state.start < state.positions.count ? state.positions[state.start] : nil
    }
  }
}
