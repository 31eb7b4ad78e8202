// CellarCLI: the flags of every command that talks to a server (docs/architecture.md, "Commands and options").
import ArgumentParser
import CellarCore
import CellsKit
import HTTPKit

/// Where the server is and how to authenticate; flags win over `CELLS_URL`, `CELLS_TOKEN`,
/// `CELLS_PASSWORD`.
struct ConnectionOptions: ParsableArguments {
  @Option(help: ArgumentHelp("The server's root URL (or CELLS_URL).", valueName: "url"))
  var url: String?

  @Option(help: ArgumentHelp("A personal access token (or CELLS_TOKEN); prefer --token-file.", valueName: "token"))
  var token: String?

  @Option(
    help: ArgumentHelp("A file holding the token, kept out of ps and shell history.", valueName: "file"),
    completion: .file())
  var tokenFile: String?

  @Option(
    help: ArgumentHelp(
      "A command that prints the token (pass show cells/backup), run by /bin/sh.", valueName: "command"))
  var tokenCommand: String?

  @Option(help: ArgumentHelp("Log in as this user; the session is renewed when it expires.", valueName: "name"))
  var login: String?

  @Option(
    help: ArgumentHelp("A file holding the password for --login (or CELLS_PASSWORD).", valueName: "file"),
    completion: .file())
  var passwordFile: String?

  @Flag(
    inversion: .prefixedNo,
    help: "--insecure: do not verify the server's TLS certificate (dangerous); --no-insecure: verify it (the default).")
  var insecure: Bool?

  @Option(
    help: ArgumentHelp("Trust the certificate authorities in this PEM file.", valueName: "file"), completion: .file())
  var caFile: String?

  @Option(
    help: ArgumentHelp(
      "Seconds to wait for a connection or for data before failing (default: 60).", valueName: "seconds"))
  var timeout: Int?

  @Option(help: ArgumentHelp("Retries of a failed request (5xx, dropped connection; default: 5).", valueName: "n"))
  var retries: Int?

  func validate() throws {
    guard (timeout ?? 60) > 0 else { throw ValidationError("--timeout must be at least 1 second") }
    guard (retries ?? 5) >= 0 else { throw ValidationError("--retries cannot be negative") }
    let tokens = [token, tokenFile, tokenCommand].compactMap { $0 }
    guard tokens.count <= 1 else { throw ValidationError("give one of --token, --token-file and --token-command") }
  }

  /// Takes from `profile` what no flag gave; the credentials only when no flag gave any.
  mutating func fill(from profile: Profile) {
    url = url ?? profile.string(.url)
    if token == nil && tokenFile == nil && tokenCommand == nil && login == nil {
      token = profile.string(.token)
      tokenFile = profile.string(.tokenFile)
      tokenCommand = profile.string(.tokenCommand)
      login = profile.string(.login)
      passwordFile = passwordFile ?? profile.string(.passwordFile)
    }
    insecure = insecure ?? profile.bool(.insecure)
    caFile = caFile ?? profile.string(.caFile)
    timeout = timeout ?? profile.integer(.timeout)
    retries = retries ?? profile.integer(.retries)
  }

  /// The connection settings these flags and the environment describe.
  ///
  /// `--insecure` and a secret file others can read are said out loud on standard error,
  /// whatever the output options.
  func settings(commandToken: String? = nil) throws -> ConnectionSettings {
    let insecure = insecure == true
    if insecure {
      StandardError.print("cellar: warning: --insecure: the server's TLS certificate is NOT verified")
    }
    let timeout = timeout ?? 60
    let settings = try ConnectionSettings(
      url: url, token: commandToken ?? token, tokenFile: tokenFile, login: login, passwordFile: passwordFile,
      insecure: insecure,
      caFile: caFile, connectTimeout: .seconds(min(timeout, 30)), idleTimeout: .seconds(timeout))
    for warning in settings.warnings { StandardError.print("cellar: warning: \(warning)") }
    return settings
  }

  /// What opens the connection of a command: these settings, retries counted on `tracker`, and
  /// `bytesPerSecond` (`--bwlimit`) shared by all its transfers.
  ///
  /// The settings are read when the returned function runs, inside `CommandRunner.run`, so that
  /// their errors get the command's reporting and exit codes.
  func opener(
    reportingTo tracker: ProgressTracker, bytesPerSecond: Int64?
  ) -> @Sendable () async throws -> CellsConnection {
    let (settings, tokenCommand) = (self.settings, self.tokenCommand)
    let retry = retryPolicy(reportingTo: tracker)
    return {
      var commandToken: String?
      if let tokenCommand { commandToken = try await SecretCommand.output(of: tokenCommand) }
      var resolved = try settings(commandToken)
      if let bytesPerSecond { resolved.limitBandwidth(bytesPerSecond) }
      return try await CellsConnection(settings: resolved, retry: retry)
    }
  }

  /// The retry policy these flags describe, counting and reporting each retry on `tracker`.
  func retryPolicy(reportingTo tracker: ProgressTracker) -> RetryPolicy {
    RetryPolicy(maxAttempts: (retries ?? 5) + 1) { event in
      tracker.update { $0.retries += 1 }
      tracker.report(.warning(path: nil, message: "\(event.operation): \(event.reason); retry \(event.attempt)"))
    }
  }
}
