// CellarCore: a backup written to local files (or the archive to standard output), renamed into
// place only when complete.
import AgeKit
import DescriptorIO
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `OUTPUT.partial` (or standard output) and `SIDECAR.partial`, published together.
final class LocalDestination: BackupDestination {
  private let options: BackupOptions
  private let archiveFile: PartialFile?
  private let sidecarFile: PartialFile
  /// The plain sidecar of an encrypted backup, which never gets a name.
  private let plainSidecar: TemporaryFile?
  private let archiveOut: DescriptorOut

  /// Opens the partial files for `options.output` and `options.sidecarPath`.
  init(options: BackupOptions) throws {
    self.options = options
    let toStandardOutput = options.output == "-"
    archiveFile = toStandardOutput ? nil : try PartialFile(path: options.output)
    sidecarFile = try PartialFile(path: options.sidecarPath)
    plainSidecar = options.recipients.isEmpty ? nil : try TemporaryFile(prefix: "cellar-sidecar")
    archiveOut = DescriptorOut(
      descriptor: archiveFile?.fileDescriptor ?? STDOUT_FILENO,
      name: toStandardOutput ? "standard output" : options.output)
  }

  var sidecarDescriptor: Int32 { plainSidecar?.handle.fileDescriptor ?? sidecarFile.fileDescriptor }
  var sidecarWorkName: String { plainSidecar == nil ? sidecarFile.partialPath : "the sidecar's temporary file" }

  func write(_ bytes: UnsafeRawBufferPointer) throws {
    try archiveOut.write(bytes)
  }

  func finish() throws {}

  /// Puts the archive and its sidecar in place so that no moment shows one beside the other's
  /// predecessor.
  ///
  /// Both are synced and named `.partial` first; the sidecar an archive replaces is removed
  /// before the archive is renamed (an archive alone is complete: its manifest is inside); the
  /// new sidecar comes last. A run killed in between leaves `SIDECAR.partial` beside its
  /// archive, which `InterruptedPair` puts in place.
  ///
  /// Without `--overwrite` neither name may exist (`OutputClaim` chose free ones; one taken
  /// meanwhile is kept and this run's output removed).
  func publish(recipients: [AgeRecipient]) throws {
    if plainSidecar != nil {
      try copySidecar(
        to: DescriptorOut(descriptor: sidecarFile.fileDescriptor, name: sidecarFile.partialPath), recipients: recipients
      )
    }
    try archiveFile?.prepare()
    try sidecarFile.prepare()
    let replacing = options.overwrite
    if replacing, archiveFile != nil, unlink(sidecarFile.path) != 0, errno != ENOENT {
      throw PartialFile.Problem.io(
        operation: "remove the previous sidecar", path: sidecarFile.path, message: String(cString: strerror(errno)))
    }
    var status = stat()
    if !replacing, lstat(sidecarFile.path, &status) == 0 {
      throw PartialFile.Problem.taken(path: sidecarFile.path)
    }
    try archiveFile?.publish(replacing: replacing)
    try sidecarFile.publish(replacing: replacing)
    PartialFile.syncDirectory(of: sidecarFile.path)
    plainSidecar?.close()
  }

  func discard() {
    archiveFile?.discard()
    sidecarFile.discard()
    plainSidecar?.close()
  }

  /// An open file (a partial file, standard output) as an end of stream.
  private final class DescriptorOut: ArchiveBytesOut {
    let descriptor: Int32
    let name: String
    init(descriptor: Int32, name: String) { (self.descriptor, self.name) = (descriptor, name) }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
      do {
        try DescriptorIO.writeAll(descriptor, bytes)
      } catch {
        throw PartialFile.Problem.io(operation: "write", path: name, message: "\(error)")
      }
    }

    func finish() throws {}
  }
}
