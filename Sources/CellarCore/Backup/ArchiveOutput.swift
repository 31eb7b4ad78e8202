// CellarCore: the archive stage: members appended in order through libarchive, the manifest
// streamed beside them into the sidecar, both put in place only when complete.
import ArchiveKit
import DescriptorIO
import Foundation

/// Owns the archive writer and the sidecar of one backup, on a thread of its own (libarchive
/// compresses synchronously; that must not hold a cooperative-pool thread).
actor ArchiveOutput {
  private let executor = ThreadExecutor(name: "cellar-archive")
  nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

  private let options: BackupOptions
  private let destination: any BackupDestination
  private let sink: HashingSink
  private let writer: ArchiveWriter
  /// Compressed tars: the compressor that cuts the stream into frames at member boundaries.
  private let framed: FramedCompressor?
  private let manifest: ManifestWriter
  /// Where each streamed member started, until its node is recorded.
  private var pendingOffsets: [String: Int64] = [:]

  /// Opens the destination (`OUTPUT.partial` or standard output and `SIDECAR.partial`, or the
  /// S3 uploads) and starts the manifest.
  init(options: BackupOptions, header: ManifestHeader) throws {
    self.options = options
    if let s3 = options.s3, try S3ObjectURL(options.output) != nil {
      destination = try S3Destination(options: options, settings: s3)
    } else {
      destination = try LocalDestination(options: options)
    }
    let out: ArchiveBytesOut =
      options.recipients.isEmpty
      ? destination : try EncryptingOut(recipients: options.recipients, downstream: destination)
    sink = try HashingSink(downstream: out)
    (writer, framed) = try Self.writer(options: options, sink: sink)
    manifest = try ManifestWriter(
      fileDescriptor: destination.sidecarDescriptor, path: destination.sidecarWorkName, header: header)
  }

  deinit {
    executor.shutdown()
  }

  /// A writer to `sink`.
  ///
  /// A compressed tar is formatted on the archive thread and compressed on another, so that
  /// compression does not wait for formatting, hashing and writing (nor they for it), in frames,
  /// so that one member can be read without decompressing what comes before it
  /// (docs/architecture.md, "Seekable archives").
  private static func writer(
    options: BackupOptions, sink: HashingSink
  ) throws -> (ArchiveWriter, FramedCompressor?) {
    let level = options.effectiveLevel
    let threads = options.effectiveCompressionThreads
    let format = options.format
    guard format.isTar, format != .tar else {
      return (try ArchiveWriter(format: format, level: level, threads: threads, sink: sink), nil)
    }
    let framed = try FramedCompressor(format: format, level: level, threads: threads, sink: sink)
    let writer = try ArchiveWriter(format: .tar, sink: HandoffSink(downstream: framed, name: "cellar-compress"))
    return (writer, framed)
  }

  /// Where the next member starts, marked as a place a frame may begin.
  private func memberStart() -> Int64 {
    let position = writer.position
    framed?.boundaries.mark(position)
    return position
  }

  /// Appends a folder member and its manifest record.
  func addFolder(_ node: ManifestNode) throws {
    var node = node
    node.offset = memberStart()
    try writer.writeDirectory(path: node.path, mtime: node.mtime)
    try manifest.add(node)
  }

  /// Appends a file whose bytes are all in memory, and its manifest record when given.
  func addFile(path: String, mtime: Int64, bytes: [UInt8], record: ManifestNode?) throws {
    let offset = memberStart()
    try writer.beginFile(path: path, size: Int64(bytes.count), mtime: mtime)
    try writer.write(bytes)
    try writer.finishFile()
    if var record {
      record.offset = offset
      try manifest.add(record)
    } else {
      pendingOffsets[path] = offset
    }
  }

  /// Starts a streamed member of `size` bytes.
  func beginFile(path: String, size: Int64, mtime: Int64) throws {
    let offset = memberStart()
    try writer.beginFile(path: path, size: size, mtime: mtime)
    pendingOffsets[path] = offset
  }

  /// Appends bytes to the streamed member.
  func write(_ bytes: [UInt8]) throws {
    try writer.write(bytes)
  }

  /// Ends the streamed member (its size must have been reached).
  func finishFile() throws {
    try writer.finishFile()
  }

  /// Records a file in the manifest once its member (and its versions' members) are written,
  /// with their offsets.
  func record(_ node: ManifestNode) throws {
    var node = node
    if node.stored == nil { node.offset = pendingOffsets.removeValue(forKey: node.path) }
    if var versions = node.versions {
      for index in versions.indices {
        versions[index].offset = pendingOffsets.removeValue(forKey: versions[index].member)
      }
      node.versions = versions
    }
    try manifest.add(node)
  }

  /// Ends the manifest, appends it as `.cellar/manifest.json`, closes the archive, completes the
  /// sidecar and puts both in place; returns the archive's record.
  func finish(_ trailer: ManifestTrailer) throws -> ManifestTrailer.Archive {
    try manifest.finishBody(trailer)
    try appendManifestMember(mtime: Int64(Date().timeIntervalSince1970))
    try writer.finish()
    let archive = ManifestTrailer.Archive(
      name: options.output == "-" ? "-" : (options.output as NSString).lastPathComponent,
      format: options.format.rawValue, bytes: sink.byteCount, sha256: try sink.digest(), frames: framed?.frames,
      encryption: options.recipients.isEmpty ? nil : "age")
    try manifest.finishSidecar(archive: archive)
    try destination.publish(recipients: options.recipients)
    return archive
  }

  /// Removes what was written; the previous archive of the same name stays.
  func discard() {
    destination.discard()
  }

  /// Copies the manifest body back from the sidecar's partial file into the archive.
  private func appendManifestMember(mtime: Int64) throws {
    let ending = ManifestWriter.memberEnding
    // The manifest starts a frame of its own, where a reader without the sidecar finds it
    // (ArchiveTail).
    framed?.boundaries.cut(at: writer.position)
    try writer.beginFile(path: ".cellar/manifest.json", size: manifest.length + Int64(ending.count), mtime: mtime)
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    var offset: Int64 = 0
    while offset < manifest.length {
      let wanted = min(buffer.count, Int(manifest.length - offset))
      let count: Int
      do {
        count = try buffer.withUnsafeMutableBytes { raw in
          try DescriptorIO.read(
            destination.sidecarDescriptor, into: UnsafeMutableRawBufferPointer(rebasing: raw[..<wanted]), at: offset)
        }
      } catch {
        throw PartialFile.Problem.io(operation: "read back", path: destination.sidecarWorkName, message: "\(error)")
      }
      guard count > 0 else {
        throw PartialFile.Problem.io(
          operation: "read back", path: destination.sidecarWorkName, message: "the file ends before the manifest does")
      }
      try buffer.withUnsafeBytes { try writer.write(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
      offset += Int64(count)
    }
    try writer.write(ending)
    try writer.finishFile()
  }
}
