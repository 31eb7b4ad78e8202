// cells-sandbox: runs a Cells-compatible server for demos and manual tests.
import ArgumentParser
import CellsSandbox
import Foundation

@main
struct CellsSandboxCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cells-sandbox",
    abstract: "Run a Pydio Cells-compatible server (REST API and S3 gateway) on loopback.",
    discussion: """
      The sandbox serves the Cells v1 REST API under /a/ (bearer tokens) and the S3 gateway on the \
      path-style buckets /io and /data (SigV4, region us-east-1, access key = a token, secret key \
      "gatewaysecret"). State lives in the --data directory: restart on the same directory to get \
      the same tree back. Without --data, a temporary directory is used and removed at exit.

      Every seed creates the users admin, alice and bob (passwords equal to the logins) with fixed \
      tokens, printed at start. --seed demo adds a tree with awkward names, dot-files, an empty \
      folder, a 1,500-child folder, a 30 MiB file and user metadata. --seed FILE.json reads a seed \
      file (format: see the Seed documentation in Sources/CellsSandbox/SeedFile.swift).

      Faults (latency; failures of every shape: 500/503 answers, 429 throttling, connections \
      reset before or after serving, bodies cut at a random byte, stalls, slow trickles; refused \
      paths), aimed at every operation or at some (--fail-ops ListObjectsV2,UploadPart), are \
      drawn from --fault-seed, so a run replays. An admin can change them while the server runs \
      with POST /a/sandbox/faults {"LatencyMs","FailRate","Shapes","Operations","StallSeconds",\
      "CutRate","DenyPrefixes","Seed","CountsFolderMarkers"} (the last makes ChildrenCount \
      count each folder's .pydio marker, as a Cells index may), expire \
      tokens with POST /a/sandbox/expire-tokens {"Login"}, and list every node with its SHA-256 \
      with GET /a/sandbox/dump.

      Examples:
        cells-sandbox --seed demo --port 8080
        aws --endpoint-url http://127.0.0.1:8080 s3 ls s3://io/common-files/
      """)

  @Option(help: "TCP port to listen on (0 picks a free one).")
  var port = 8080

  @Option(help: "Address to bind.")
  var host = "127.0.0.1"

  @Option(help: ArgumentHelp("State directory (created if needed).", valueName: "dir"))
  var data: String?

  @Option(help: ArgumentHelp("'demo', 'minimal', or a seed JSON file.", valueName: "seed"))
  var seed = "minimal"

  @Option(help: "Delay added to every request, in milliseconds.")
  var latencyMs = 0

  @Option(help: "Fraction (0 to 1) of requests that fail on purpose, in one of --fail-shapes.")
  var failRate = 0.0

  @Option(
    help: ArgumentHelp(
      "How failing requests fail, comma-separated: error (500/503), throttle (429), reset, lost, cut, stall, trickle, "
        + "empty (a 200 with nothing in it), corrupt (a byte flipped); or all (every one but empty and corrupt).",
      valueName: "shapes"))
  var failShapes = "error"

  @Option(
    help: ArgumentHelp(
      "Only these operations fail, comma-separated (ListObjectsV2,UploadPart,tree/stats…); default: all.",
      valueName: "ops"))
  var failOps: String?

  @Option(help: "Seconds a 'stall' fault holds an answer back.")
  var stallSeconds = 3.0

  @Option(help: "Fraction (0 to 1) of S3 GET bodies cut off after half their bytes.")
  var cutRate = 0.0

  @Option(
    help: ArgumentHelp(
      "Paths (workspace/path) whose reads are refused with 403; repeatable.", valueName: "prefix"))
  var denyPrefix: [String] = []

  @Option(help: "Seconds an S3 upload shows Etag \"temporary\" before it looks indexed.")
  var indexingDelay = 0.0

  @Option(help: "Seed of the fault draws (same seed, same faults).")
  var faultSeed: UInt64 = 1

  @Option(help: "Lifetime of session tokens from POST /a/frontend/session, in seconds.")
  var sessionLifetime = 3600

  @Flag(help: "Log the HTTP server's own errors (dropped connections and the like) on stderr.")
  var logServerErrors = false

  func validate() throws {
    guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
    guard (0...1).contains(failRate) else { throw ValidationError("--fail-rate must be 0…1") }
    guard (0...1).contains(cutRate) else { throw ValidationError("--cut-rate must be 0…1") }
    _ = try shapes()
    guard stallSeconds >= 0 else { throw ValidationError("--stall-seconds must be positive") }
    guard indexingDelay >= 0 else { throw ValidationError("--indexing-delay must be positive") }
    guard latencyMs >= 0 else { throw ValidationError("--latency-ms must be positive") }
  }

  private func shapes() throws -> [FaultShape] {
    if failShapes == "all" { return FaultShape.failures }
    return try failShapes.split(separator: ",").map { name in
      guard let shape = FaultShape(rawValue: String(name)) else {
        throw ValidationError("unknown fault shape '\(name)'; known: \(FaultShape.allNames), all")
      }
      return shape
    }
  }

  func run() async throws {
    let chosen: Seed =
      switch seed {
      case "demo": .demo
      case "minimal": .minimal
      default: try Seed(contentsOf: URL(fileURLWithPath: seed))
      }
    var options = SandboxOptions()
    options.host = host
    options.port = port
    options.latencyMilliseconds = latencyMs
    options.failRate = failRate
    options.faultSeed = faultSeed
    options.sessionLifetime = sessionLifetime
    options.faults.shapes = try shapes()
    options.faults.operations = failOps.map { $0.split(separator: ",").map(String.init) } ?? []
    options.faults.stallSeconds = stallSeconds
    options.faults.cutRate = cutRate
    options.faults.deniedPrefixes = denyPrefix
    options.indexingDelay = indexingDelay
    options.logsServerErrors = logServerErrors
    let sandbox = try await Sandbox.start(
      directory: data.map { URL(fileURLWithPath: $0) }, seed: chosen, options: options)
    var banner = "Cells sandbox listening on \(sandbox.baseURL.absoluteString)\n"
    banner += "State directory: \(sandbox.store.directory.path)\n"
    banner += "S3: endpoint \(sandbox.baseURL.absoluteString), buckets io and data, "
    banner += "region us-east-1, secret key gatewaysecret\n"
    for user in try sandbox.store.users() {
      banner += "  \(user.login)\(user.isAdmin ? " (admin)" : ""): password \(user.password), "
      banner += "token \(sandbox.token(for: user.login))\n"
    }
    // Written straight to the descriptor: stdout may be a pipe, where print() would buffer.
    FileHandle.standardOutput.write(Data(banner.utf8))
    // SIGINT/SIGTERM stop the server cleanly, so a temporary state directory is removed.
    let signals = [SIGINT, SIGTERM].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number)
      source.setEventHandler { Task { await sandbox.stop() } }
      source.resume()
      return source
    }
    await sandbox.wait()
    signals.forEach { $0.cancel() }
  }
}
