// CellsKit: the clients of one run, sharing connections and credentials.
import HTTPKit
import S3Kit

/// The REST client, the S3 client and the credentials a command uses against one server.
public struct CellsConnection: Sendable {
  /// The REST client.
  public let rest: CellsClient
  /// The S3 gateway client (bucket "io").
  public let s3: S3Client
  /// The shared credentials (renewed once for all when the token expires).
  public let credentials: CellsCredentials

  /// Opens one connection pool for both clients.
  public init(settings: ConnectionSettings, retry: RetryPolicy = RetryPolicy()) async throws {
    let http = try HTTPClient(configuration: settings.http)
    credentials = CellsCredentials(token: settings.token, login: settings.login)
    rest = await CellsClient(baseURL: settings.url, credentials: credentials, http: http, retry: retry)
    s3 = S3Client(endpoint: settings.url, bucket: "io", credentials: credentials, http: http, retry: retry)
  }
}
