// CellsKit: `--bwlimit`: one rate for a whole run, shared by its parallel transfers.

import HTTPKit

extension ConnectionSettings {
  /// Limits the run to about `bytesPerSecond` each way, however many transfers are running:
  /// every client made from these settings shares the same two limiters.
  public mutating func limitBandwidth(_ bytesPerSecond: Int64) {
    http.receiveLimiter = BandwidthLimiter(bytesPerSecond: bytesPerSecond)
    http.sendLimiter = BandwidthLimiter(bytesPerSecond: bytesPerSecond)
  }
}
