// CellsSandbox: which S3 API operation a request is, by its method, key and query.

/// An S3 operation the gateway knows, named as in the S3 API (these names aim faults too).
enum S3Operation: String, Sendable {
  case listBuckets = "ListBuckets"
  case headBucket = "HeadBucket"
  case getBucketLocation = "GetBucketLocation"
  case listMultipartUploads = "ListMultipartUploads"
  case listObjectsV2 = "ListObjectsV2"
  case deleteObjects = "DeleteObjects"
  case headObject = "HeadObject"
  case listParts = "ListParts"
  case getObject = "GetObject"
  case copyObject = "CopyObject"
  case uploadPart = "UploadPart"
  case putObject = "PutObject"
  case createMultipartUpload = "CreateMultipartUpload"
  case completeMultipartUpload = "CompleteMultipartUpload"
  case abortMultipartUpload = "AbortMultipartUpload"
  case deleteObject = "DeleteObject"

  /// The operation `s3` asks for, nil for one the gateway does not serve.
  init?(_ s3: S3Request) {
    guard s3.bucket != nil else {
      guard s3.method == "GET" else { return nil }
      self = .listBuckets
      return
    }
    let operation: S3Operation? =
      if s3.key.isEmpty {
        switch s3.method {
        case "HEAD": .headBucket
        case "GET" where s3.query["location"] != nil: .getBucketLocation
        case "GET" where s3.query["uploads"] != nil: .listMultipartUploads
        case "GET": .listObjectsV2
        case "POST" where s3.query["delete"] != nil: .deleteObjects
        default: nil
        }
      } else {
        switch s3.method {
        case "HEAD": .headObject
        case "GET" where s3.query["uploadId"] != nil: .listParts
        case "GET": .getObject
        case "PUT" where s3.header("x-amz-copy-source") != nil: .copyObject
        case "PUT" where s3.query["uploadId"] != nil: .uploadPart
        case "PUT": .putObject
        case "POST" where s3.query["uploads"] != nil: .createMultipartUpload
        case "POST" where s3.query["uploadId"] != nil: .completeMultipartUpload
        case "DELETE" where s3.query["uploadId"] != nil: .abortMultipartUpload
        case "DELETE": .deleteObject
        default: nil
        }
      }
    guard let operation else { return nil }
    self = operation
  }
}
