// CellarCore: the end of the archive's way out: a file, standard output, an upload, or an
// encryption in front of one of them.

/// A stream of archive bytes that ends once.
protocol ArchiveBytesOut: AnyObject {
  /// Consumes all of `bytes`, or throws.
  func write(_ bytes: UnsafeRawBufferPointer) throws
  /// Called once after the last bytes; the stream is complete but not yet in place.
  func finish() throws
}
