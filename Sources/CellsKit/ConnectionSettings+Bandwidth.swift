// CellsKit: `--bwlimit`: one rate for a whole run, shared by its parallel transfers.

extension ConnectionSettings {
  /// Limits the run to about `bytesPerSecond` each way, shared by `transfers` parallel
  /// transfers: curl paces each transfer on its own, so each gets an equal share.
  public mutating func limitBandwidth(_ bytesPerSecond: Int64, transfers: Int) {
    let share = max(1, bytesPerSecond / Int64(max(1, transfers)))
    http.maxReceiveBytesPerSecond = share
    http.maxSendBytesPerSecond = share
  }
}
