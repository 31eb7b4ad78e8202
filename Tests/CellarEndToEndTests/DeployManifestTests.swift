// CellarEndToEndTests: the Kubernetes example in deploy/kubernetes is checked against the Kubernetes
// API schema (Tests/CellarTestSupport/k8s_check.py, over the models of the official Python
// client), the checker is shown to catch each mistake it is there for, and the example's
// configuration file is one cellar reads, naming files its pods mount. No cluster is needed.
import CellarCore
import CellarTestSupport
import Foundation
import Testing

/// One mistake made in a copy of the manifest, and what the checker must say about it.
struct ManifestMutation: Sendable, CustomTestStringConvertible {
  var name: String
  /// Text of the manifest, replaced wherever it occurs (`occurrences` times).
  var find: String
  var replace: String
  var occurrences = 1
  /// What one line of the checker's output must contain.
  var expected: String

  var testDescription: String { name }
}

/// A mapping of the manifest, as JSONSerialization reads it.
private typealias JSONObject = [String: Any]

private let nightlyPodPath = "CronJob cellar-nightly: spec.jobTemplate.spec.template.spec."
private let image = "image: registry.example.com/cellar:latest   # CHANGE ME (deploy/kubernetes/Containerfile)\n"

@Suite("Kubernetes example (deploy/kubernetes)")
struct DeployManifestTests {
  private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  private static let manifest = root.appendingPathComponent("deploy/kubernetes/cellar-nightly.yaml")
  private static let checker = root.appendingPathComponent("Tests/CellarTestSupport/k8s_check.py").path

  /// Runs the checker on `files`; exit 2 means it could not run (the kubernetes module missing).
  private static func check(_ files: [String]) async throws -> ChildResult {
    let run = try await ChildProcess.run("python3", [checker] + files)
    try #require(run.status != 2, "the checker cannot run (make deps installs kubernetes): \(run.stderr)")
    return run
  }

  @Test("the shipped manifest passes the schema check")
  func shippedManifestPasses() async throws {
    let run = try await Self.check([Self.manifest.path])
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    #expect(run.stdout == "ok: 4 documents\n", "Secret, ConfigMap and the two CronJobs")
  }

  static let mutations: [ManifestMutation] = [
    ManifestMutation(
      name: "an unknown key deep in the pod spec",
      find: image, replace: image + "              imagePullPolicyy: IfNotPresent\n",
      expected: nightlyPodPath + "containers[0].imagePullPolicyy: unknown field"),
    ManifestMutation(
      name: "a string where an int is required",
      find: "      completions: 4\n", replace: "      completions: \"4\"\n",
      expected: "CronJob cellar-nightly: spec.jobTemplate.spec.completions: expected an int, got string '4'"),
    ManifestMutation(
      name: "a container without its required name",
      find: "- name: cellar\n              " + image, replace: "- " + image,
      expected: nightlyPodPath + "containers[0].name: missing required field"),
    ManifestMutation(
      name: "a volumeMount naming no volume of the pod",
      find: "name: token\n                  mountPath", replace: "name: tokens\n                  mountPath",
      expected: nightlyPodPath + "containers[0].volumeMounts[1].name: no volume named 'tokens' in the pod"),
    ManifestMutation(
      name: "a secretKeyRef naming a key the Secret lacks",
      find: "key: AWS_SECRET_ACCESS_KEY\n", replace: "key: AWS_SECRET_ACCES_KEY\n", occurrences: 2,
      expected: nightlyPodPath
        + "containers[0].env[2].valueFrom.secretKeyRef: Secret 'cellar-credentials' has no key 'AWS_SECRET_ACCES_KEY'"),
    ManifestMutation(
      name: "a volume naming a Secret that is not there",
      find: "secretName: cellar-credentials\n", replace: "secretName: cellar-credential\n",
      expected: nightlyPodPath
        + "volumes[1].secret.secretName: Secret 'cellar-credential' in namespace 'cellar' is not among"),
    ManifestMutation(
      name: "an argument referring to an undefined variable",
      find: "$(JOB_COMPLETION_INDEX)/4", replace: "$(JOB_INDEX)/4",
      expected: nightlyPodPath + "containers[0].args[6]: $(JOB_INDEX) is not an environment variable of the container"),
    ManifestMutation(
      name: "a schedule of four fields",
      find: "schedule: \"15 2 * * *\"", replace: "schedule: \"15 2 * *\"",
      expected: "CronJob cellar-nightly: spec.schedule: '15 2 * *': 4 fields, a schedule has 5"),
  ]

  @Test("the checker is no rubber stamp: each mistake fails, named with its path", arguments: Self.mutations)
  func mutationFails(_ mutation: ManifestMutation) async throws {
    let text = try String(contentsOf: Self.manifest, encoding: .utf8)
    try #require(
      text.components(separatedBy: mutation.find).count - 1 == mutation.occurrences,
      "the manifest changed: update this mutation's text")
    let scratch = try Scratch()
    defer { scratch.remove() }
    let copy = scratch.path("cellar-nightly.yaml")
    try text.replacingOccurrences(of: mutation.find, with: mutation.replace)
      .write(toFile: copy, atomically: true, encoding: .utf8)
    let run = try await Self.check([copy])
    #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
    let lines = run.stdout.split(separator: "\n").map(String.init)
    #expect(lines.contains { $0.contains(mutation.expected) }, "\(run.stdout)")
    #expect(lines.allSatisfy { $0.hasPrefix(copy + ": ") }, "one line per problem: \(run.stdout)")
  }

  // MARK: - The manifest against cellar itself

  /// The manifest's documents, as JSON values (PyYAML reads it, as the checker does).
  private static func documents() async throws -> [JSONObject] {
    let dump = "import json, sys, yaml; json.dump([d for d in yaml.safe_load_all(open(sys.argv[1])) if d], sys.stdout)"
    let run = try await ChildProcess.run("python3", ["-c", dump, manifest.path])
    try #require(run.status == 0, "\(run.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [JSONObject])
  }

  private static func document(_ kind: String, _ name: String, in documents: [JSONObject]) throws -> JSONObject {
    try #require(
      documents.first { $0["kind"] as? String == kind && dig($0, "metadata", "name") as? String == name },
      "no \(kind) \(name) in the manifest")
  }

  /// The value at `keys` below `value` (strings for mappings, integers for lists).
  private static func dig(_ value: Any?, _ keys: Any...) -> Any? {
    keys.reduce(value) { value, key in
      if let index = key as? Int, let list = value as? [Any] { return index < list.count ? list[index] : nil }
      if let key = key as? String, let map = value as? JSONObject { return map[key] }
      return nil
    }
  }

  /// The files a container of `pod` sees through its Secret, ConfigMap and projected volumes.
  private static func mountedFiles(pod: JSONObject, container: JSONObject, documents: [JSONObject]) -> Set<String> {
    let volumes = (pod["volumes"] as? [JSONObject] ?? []).reduce(into: [String: JSONObject]()) {
      if let name = $1["name"] as? String { $0[name] = $1 }
    }
    var files: Set<String> = []
    for mount in container["volumeMounts"] as? [JSONObject] ?? [] {
      guard let name = mount["name"] as? String, let volume = volumes[name], let at = mount["mountPath"] as? String
      else {
        continue
      }
      var sources: [(kind: String, name: String?, source: JSONObject)] = []
      if let secret = volume["secret"] as? JSONObject {
        sources.append(("Secret", secret["secretName"] as? String, secret))
      }
      if let configMap = volume["configMap"] as? JSONObject {
        sources.append(("ConfigMap", configMap["name"] as? String, configMap))
      }
      for projection in dig(volume, "projected", "sources") as? [JSONObject] ?? [] {
        if let secret = projection["secret"] as? JSONObject {
          sources.append(("Secret", secret["name"] as? String, secret))
        }
        if let configMap = projection["configMap"] as? JSONObject {
          sources.append(("ConfigMap", configMap["name"] as? String, configMap))
        }
      }
      for (kind, name, source) in sources {
        let paths: [String]
        if let items = source["items"] as? [JSONObject] {
          paths = items.compactMap { $0["path"] as? String }
        } else {
          let object = documents.first {
            $0["kind"] as? String == kind && dig($0, "metadata", "name") as? String == name
          }
          paths = ["data", "stringData", "binaryData"].flatMap {
            (object?[$0] as? JSONObject).map { Array($0.keys) } ?? []
          }
        }
        files.formUnion(paths.map { at + "/" + $0 })
      }
    }
    return files
  }

  @Test("cellar.toml of the ConfigMap is a configuration cellar reads; the pods mount every file it names")
  func configurationMatchesPods() async throws {
    let documents = try await Self.documents()
    let configMap = try Self.document("ConfigMap", "cellar-config", in: documents)
    let toml = try #require(Self.dig(configMap, "data", "cellar.toml") as? String)
    let scratch = try Scratch()
    defer { scratch.remove() }
    try toml.write(toFile: scratch.path("cellar.toml"), atomically: true, encoding: .utf8)
    let profile = try ConfigFile(path: scratch.path("cellar.toml")).profile("nightly")
    #expect(profile.bool(.admin) == true)
    #expect(profile.hasRetention)
    let tokenFile = try #require(profile.string(.tokenFile))
    let recipients = profile.strings(.encryptToFile)
    let identities = profile.strings(.identity)
    #expect(!recipients.isEmpty && !identities.isEmpty, "the example encrypts, and its incrementals read their bases")

    // The nightly job: one pod per shard, N the same in --shard, completions and parallelism.
    let nightly = try Self.document("CronJob", "cellar-nightly", in: documents)
    let job = try #require(Self.dig(nightly, "spec", "jobTemplate", "spec") as? JSONObject)
    #expect(job["completionMode"] as? String == "Indexed")
    let shards = try #require(job["completions"] as? Int)
    #expect(job["parallelism"] as? Int == shards)
    let nightlyPod = try #require(Self.dig(job, "template", "spec") as? JSONObject)
    let backup = try #require(Self.dig(nightlyPod, "containers", 0) as? JSONObject)
    let arguments = backup["args"] as? [String] ?? []
    #expect(arguments.first == "backup")
    let shard = try #require(arguments.firstIndex(of: "--shard"), "\(arguments)")
    #expect(arguments.dropFirst(shard + 1).first == "$(JOB_COMPLETION_INDEX)/\(shards)", "\(arguments)")
    let config = try #require(arguments.firstIndex(of: "--config").map { arguments[$0 + 1] }, "\(arguments)")
    #expect(arguments.contains("--profile") && arguments.contains("nightly"))
    let backupFiles = Self.mountedFiles(pod: nightlyPod, container: backup, documents: documents)
    for file in [config, tokenFile] + recipients + identities {
      #expect(backupFiles.contains(file), "the nightly pod does not mount \(file): \(backupFiles.sorted())")
    }

    // The prune job reads the same profile and opens the encrypted sidecars: config and identity.
    let prune = try Self.document("CronJob", "cellar-prune", in: documents)
    let prunePod = try #require(Self.dig(prune, "spec", "jobTemplate", "spec", "template", "spec") as? JSONObject)
    let pruner = try #require(Self.dig(prunePod, "containers", 0) as? JSONObject)
    #expect(pruner["args"] as? [String] == ["prune", "--config", config, "--profile", "nightly"])
    let pruneFiles = Self.mountedFiles(pod: prunePod, container: pruner, documents: documents)
    for file in [config] + identities {
      #expect(pruneFiles.contains(file), "the prune pod does not mount \(file): \(pruneFiles.sorted())")
    }
  }
}
