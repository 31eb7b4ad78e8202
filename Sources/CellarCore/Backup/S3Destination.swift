// CellarCore: a backup written straight to object storage: the archive uploaded in parts while it
// is written, nothing staged on disk, and the objects completed only when the backup is.
import AgeKit
import Foundation
import S3Kit

/// `s3://BUCKET/KEY` and its sidecar `KEY.meta.json` (or `--sidecar s3://…`), as multipart
/// uploads.
///
/// Neither object exists until `publish`: the archive's parts and the sidecar's are all stored
/// first, then the archive is completed and the sidecar last (as local files are renamed: an
/// archive alone is complete, its manifest is inside). A failed or interrupted run aborts both
/// uploads, so no partial object ever shows under the real names. The plain sidecar is kept in a
/// nameless temporary file until it is uploaded.
final class S3Destination: BackupDestination {
  private let archive: S3UploadStream
  private let sidecarURL: S3ObjectURL
  private let client: S3Client
  private let plainSidecar: TemporaryFile
  private var sidecarUpload: S3UploadStream?
  private let overwrite: Bool

  /// Starts the archive's upload.
  init(options: BackupOptions, settings: S3Settings) throws {
    guard let url = try S3ObjectURL(options.output) else { preconditionFailure("not an s3:// output") }
    guard let sidecar = try S3ObjectURL(options.sidecarPath), sidecar.bucket == url.bucket else {
      throw CellarError.usage(
        "--sidecar \(options.sidecarPath): the sidecar of an S3 archive is an object of the same bucket")
    }
    client = try settings.client(bucket: url.bucket)
    plainSidecar = try TemporaryFile(prefix: "cellar-sidecar")
    archive = try S3UploadStream(url, client: client)
    sidecarURL = sidecar
    overwrite = options.overwrite
  }

  var sidecarDescriptor: Int32 { plainSidecar.handle.fileDescriptor }
  var sidecarWorkName: String { "the sidecar's temporary file" }

  func write(_ bytes: UnsafeRawBufferPointer) throws {
    try archive.write(bytes)
  }

  func finish() throws {
    try archive.flush()
  }

  /// Completes the archive, then the sidecar.
  ///
  /// Without `--overwrite` neither may exist by then (another run's objects are kept, this
  /// run's removed). With it, each replaces its predecessor as it completes: a failure before
  /// the archive's completion leaves the previous backup whole.
  ///
  /// When the sidecar cannot be completed, the archive is removed again (without
  /// `--overwrite`, if it is still this run's), or (with it) the previous sidecar, which no
  /// longer describes the archive: the new archive then stands alone, its manifest inside.
  func publish(recipients: [AgeRecipient]) throws {
    let upload = try S3UploadStream(sidecarURL, client: client, contentType: "application/json")
    sidecarUpload = upload
    try copySidecar(to: UploadOut(upload), recipients: recipients)
    try archive.complete(replacing: overwrite)
    do {
      try upload.complete(replacing: overwrite)
    } catch {
      if overwrite {
        try? remove(sidecarURL, ifETag: nil)
        throw CellarError.failed(
          "\(error); the new archive \(archive.url) replaced the previous one and stands without a sidecar "
            + "(its manifest is inside: cellar ls, verify and restore read it)")
      }
      try? remove(archive.url, ifETag: archive.etag)
      throw error
    }
    plainSidecar.close()
  }

  /// Deletes `url`; with `etag`, only while the object is still the one completed with it
  /// (another run's object of the same name is left alone).
  private func remove(_ url: S3ObjectURL, ifETag etag: String?) throws {
    let (client, key) = (client, url.key)
    do {
      try BlockingCall.run {
        if let etag, try await client.head(key).etag != etag { return }
        try await client.delete(key)
      }
    } catch S3Error.notFound {
    } catch {
      throw CellarError.failed("cannot remove \(url): \(error)")
    }
  }

  func discard() {
    archive.abort()
    sidecarUpload?.abort()
    plainSidecar.close()
  }

  /// An upload as an end of stream: `finish` stores the last part, `complete` is left to `publish`.
  private final class UploadOut: ArchiveBytesOut {
    let upload: S3UploadStream
    init(_ upload: S3UploadStream) { self.upload = upload }
    func write(_ bytes: UnsafeRawBufferPointer) throws { try upload.write(bytes) }
    func finish() throws { try upload.flush() }
  }
}
