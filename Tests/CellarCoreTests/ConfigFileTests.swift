// CellarCoreTests: the configuration file is read into typed profiles over the defaults, and every
// mistake in it is an error that names its file and line.
import CellarTestSupport
import Foundation
import Testing

@testable import CellarCore

/// Writes `text` as `cellar.toml` in `folder` with the permission bits `mode`; gives its path.
private func writeConfig(_ text: String, in folder: URL, mode: Int = 0o600) throws -> String {
  let path = folder.appendingPathComponent("cellar.toml").path
  try text.write(toFile: path, atomically: false, encoding: .utf8)
  guard chmod(path, mode_t(mode)) == 0 else { throw CocoaError(.fileWriteNoPermission) }
  return path
}

/// The error reading `text` (written with `mode`) throws, with the path it was written at.
private func configError(_ text: String, mode: Int = 0o600) throws -> (error: ConfigError, path: String)? {
  try withScratchDirectory { folder in
    let path = try writeConfig(text, in: folder, mode: mode)
    let error = #expect(throws: ConfigError.self) { try ConfigFile(path: path) }
    return error.map { ($0, path) }
  }
}

@Suite("ConfigFile: profiles over the defaults, typed")
struct ConfigFileTests {
  static let valid = """
    # cellar.toml
    [defaults]
    url = "https://cells.example.com"
    jobs = 4
    insecure = false
    exclude = ["*.tmp", "*.bak"]
    token-file = "/etc/cellar/token"

    [defaults.retention]
    keep-daily = 7
    keep-weekly = 4

    [profiles.nightly]
    sources = ["personal-files", "common-files"]
    output = "/backups/nightly"
    admin = true
    jobs = 8

    [profiles.nightly.retention]
    keep-daily = 14
    keep-monthly = 6

    [profiles.weekly]
    sources = "common-files"
    level = 9

    [profiles.weekly.drill]
    sample = 20
    """

  @Test("values are typed, the defaults lie under each profile, retention merges key by key")
  func validFile() throws {
    try withScratchDirectory { folder in
      let path = try writeConfig(Self.valid, in: folder)
      let file = try ConfigFile(path: path)
      #expect(file.path == path)
      #expect(Set(file.profiles.keys) == ["nightly", "weekly"])

      let nightly = try file.profile("nightly")
      #expect(nightly.name == "nightly")
      #expect(nightly.file == path)
      #expect(nightly.strings(.sources) == ["personal-files", "common-files"])
      #expect(nightly.string(.output) == "/backups/nightly")
      #expect(nightly.bool(.admin) == true)
      #expect(nightly.integer(.jobs) == 8, "the profile's value wins over the default")
      #expect(nightly.string(.url) == "https://cells.example.com", "from [defaults]")
      #expect(nightly.bool(.insecure) == false)
      #expect(nightly.strings(.exclude) == ["*.tmp", "*.bak"])
      #expect(nightly.string(.tokenFile) == "/etc/cellar/token")
      #expect(nightly.hasRetention)
      #expect(nightly.retention(.keepDaily) == .integer(14), "the profile's count wins")
      #expect(nightly.retention(.keepWeekly) == .integer(4), "the default's count is kept")
      #expect(nightly.retention(.keepMonthly) == .integer(6))
      #expect(nightly.retention(.keepYearly) == nil)

      let weekly = try file.profile("weekly")
      #expect(weekly.strings(.sources) == ["common-files"], "a single string is a list of one")
      #expect(weekly.integer(.level) == 9)
      #expect(weekly.integer(.jobs) == 4)
      #expect(weekly.bool(.admin) == nil)
      #expect(weekly.string(.output) == nil)
      #expect(weekly.strings(.include) == [])
      #expect(weekly.retention(.keepDaily) == .integer(7))
      #expect(weekly.retention(.keepWeekly) == .integer(4))
      #expect(weekly.retention(.keepMonthly) == nil)
      #expect(weekly.drill(.sample) == .integer(20))
      #expect(nightly.drill(.sample) == nil)
    }
  }

  @Test("a single string is taken for a list of one")
  func stringAsList() throws {
    try withScratchDirectory { folder in
      let path = try writeConfig(
        """
        [profiles.one]
        include = "docs/**"
        encrypt-to = ["age1abc", "age1def"]
        """, in: folder)
      let profile = try ConfigFile(path: path).profile("one")
      #expect(profile.strings(.include) == ["docs/**"])
      #expect(profile.strings(.encryptTo) == ["age1abc", "age1def"])
      #expect(profile.string(.include) == nil, "a list key is read as a list")
    }
  }

  @Test("a file with no profile at all reads, and has none")
  func noProfiles() throws {
    try withScratchDirectory { folder in
      let path = try writeConfig("[defaults]\njobs = 2\n", in: folder)
      let file = try ConfigFile(path: path)
      #expect(file.profiles.isEmpty)
      let error = #expect(throws: ConfigError.self) { try file.profile("nightly") }
      #expect(error == .noProfile(name: "nightly", path: path, known: []))
      #expect(error?.description == "no profile nightly in \(path) (it has none)")
    }
  }

  @Test("a missing file is unreadable, said with its path")
  func unreadable() throws {
    try withScratchDirectory { folder in
      let path = folder.appendingPathComponent("absent.toml").path
      let error = #expect(throws: ConfigError.self) { try ConfigFile(path: path) }
      guard case .unreadable(let said, _) = error else {
        Issue.record("\(String(describing: error))")
        return
      }
      #expect(said == path)
    }
  }
}

@Suite("ConfigFile: unknown keys are errors naming their line")
struct ConfigFileUnknownKeyTests {
  @Test("an unknown key of a profile, with the key it is closest to; the description reads well")
  func inProfile() throws {
    let text = """
      [defaults]
      jobs = 2

      [profiles.nightly]
      url = "https://cells.example.com"
      outptu = "/backups"
      """
    let failure = try configError(text)
    let path = failure?.path ?? ""
    #expect(
      failure?.error
        == .unknownKey(path: path, line: 6, key: "outptu", table: "profiles.nightly", suggestion: "output"))
    #expect(
      failure?.error.description == "\(path):6: unknown key outptu in [profiles.nightly] (did you mean output?)")
  }

  @Test("CRLF line ends count as line ends (Swift reads CRLF as one Character)")
  func crlfLines() throws {
    let text = "[defaults]\r\njobs = 2\r\n\r\n[profiles.nightly]\r\nurl = \"https://x\"\r\noutptu = \"/b\"\r\n"
    let failure = try configError(text)
    #expect(
      failure?.error
        == .unknownKey(
          path: failure?.path ?? "", line: 6, key: "outptu", table: "profiles.nightly", suggestion: "output"))
  }

  @Test("a count below its minimum names its line", arguments: [("jobs = 0", "jobs"), ("retries = -1", "retries")])
  func belowMinimum(_ line: String, _ key: String) throws {
    let failure = try configError("[profiles.nightly]\nurl = \"https://x\"\n\(line)\n")
    #expect(failure?.error.description.hasSuffix(":3: \(key) must be at least \(key == "jobs" ? 1 : 0)") == true)
  }

  @Test("a key far from every known one gets no suggestion")
  func noSuggestion() throws {
    let failure = try configError("[profiles.nightly]\ncompression-algorithm = \"zstd\"\n")
    #expect(
      failure?.error
        == .unknownKey(
          path: failure?.path ?? "", line: 2, key: "compression-algorithm", table: "profiles.nightly",
          suggestion: nil))
    #expect(failure?.error.description.contains("did you mean") == false)
  }

  @Test("an unknown key in [defaults]")
  func inDefaults() throws {
    let failure = try configError("# defaults\n[defaults]\njbos = 2\n")
    #expect(
      failure?.error
        == .unknownKey(path: failure?.path ?? "", line: 3, key: "jbos", table: "defaults", suggestion: "jobs"))
  }

  @Test("an unknown key at the top level, and a misspelt table")
  func topLevel() throws {
    let key = try configError("# cellar\nverison = 1\n\n[profiles.nightly]\nurl = \"https://x\"\n")
    #expect(
      key?.error
        == .unknownKey(path: key?.path ?? "", line: 2, key: "verison", table: "top level", suggestion: nil))

    let table = try configError("[profiles.nightly]\nurl = \"https://x\"\n\n[default]\njobs = 2\n")
    #expect(
      table?.error
        == .unknownKey(path: table?.path ?? "", line: 4, key: "default", table: "top level", suggestion: "defaults"))
    #expect(
      table?.error.description.hasSuffix(":4: unknown key default in [top level] (did you mean defaults?)") == true)
  }

  @Test(
    "a misspelt profiles table names its line, whether written as a header or as a dotted key",
    arguments: ["[profile.nightly]\nurl = \"https://x\"", "profile.nightly.url = \"https://x\""])
  func misspeltProfilesTable(_ table: String) throws {
    // The key `profile` is only implied by `[profile.nightly]` (or `profile.nightly.url`): its
    // line is the line that implies it.
    let failure = try configError("# cellar\n\n\(table)\n")
    #expect(
      failure?.error
        == .unknownKey(path: failure?.path ?? "", line: 3, key: "profile", table: "top level", suggestion: "profiles")
    )
  }

  @Test("an unknown key of [profiles.NAME.retention]")
  func inRetention() throws {
    let text = """
      [profiles.nightly]
      output = "/backups"

      [profiles.nightly.retention]
      keep-daily = 7
      keep-wekly = 4
      """
    let failure = try configError(text)
    #expect(
      failure?.error
        == .unknownKey(
          path: failure?.path ?? "", line: 6, key: "keep-wekly", table: "profiles.nightly.retention",
          suggestion: "keep-weekly"))
  }

  @Test("an unknown key in an inline table is on the line of that table")
  func inInlineTable() throws {
    let text = """
      [profiles.nightly]
      output = "/backups"
      retention = { keep-last = 2, keep-dayly = 3 }
      """
    let failure = try configError(text)
    #expect(
      failure?.error
        == .unknownKey(
          path: failure?.path ?? "", line: 3, key: "keep-dayly", table: "profiles.nightly.retention",
          suggestion: "keep-daily"))
  }

  @Test("an unknown key written as a dotted key")
  func dottedKey() throws {
    let text = """
      # cellar.toml
      profiles.nightly.url = "https://cells.example.com"
      profiles.nightly.outptu = "/backups"
      """
    let failure = try configError(text)
    #expect(
      failure?.error
        == .unknownKey(
          path: failure?.path ?? "", line: 3, key: "outptu", table: "profiles.nightly", suggestion: "output"))
  }

  @Test("a dotted key inside a table header's table")
  func dottedKeyInTable() throws {
    let text = """
      [profiles]
      nightly.url = "https://cells.example.com"

      weekly.retention.keep-dayly = 3
      """
    let failure = try configError(text)
    #expect(
      failure?.error
        == .unknownKey(
          path: failure?.path ?? "", line: 4, key: "keep-dayly", table: "profiles.weekly.retention",
          suggestion: "keep-daily"))
  }

  @Test("the line is counted past multi-line arrays and strings that look like keys and tables")
  func afterMultilineValues() throws {
    let text = #"""
      [defaults]
      url = "https://cells.example.com"

      [profiles.nightly]
      sources = [
        "personal-files",
        "weird ] name = [",  # a comment = with "quotes"
        'common-files',
      ]
      login = """
      outptu = "inside a string"
      [profiles.weekly]
      """
      password-file = '''
      outptu = 'also inside'
      '''
      exclude = [ "a",
        "b" ]
      outptu = "/backups"
      """#
    let failure = try configError(text)
    #expect(
      failure?.error
        == .unknownKey(
          path: failure?.path ?? "", line: 19, key: "outptu", table: "profiles.nightly", suggestion: "output"))
  }
}

@Suite("ConfigFile: wrong types, syntax, secrets")
struct ConfigFileValueTests {
  @Test(
    "a value of the wrong type names its line, the type expected and the type found",
    arguments: [
      ("jobs = \"4\"", "jobs", "an integer", "string"),
      ("admin = \"yes\"", "admin", "true or false", "string"),
      ("sources = [1, 2]", "sources", "an array of strings", "integer"),
      ("output = 3", "output", "a string", "integer"),
      ("retention = 3", "retention", "a table", "integer"),
    ])
  func wrongType(_ line: String, _ key: String, _ expected: String, _ found: String) throws {
    let failure = try configError("[defaults]\njobs = 2\n\n[profiles.nightly]\n\(line)\n")
    #expect(
      failure?.error == .wrongType(path: failure?.path ?? "", line: 5, key: key, expected: expected, found: found))
    #expect(failure?.error.description == "\(failure?.path ?? ""):5: \(key) must be \(expected), found \(found)")
  }

  @Test("a wrong type in a retention table names the key's line")
  func wrongTypeInRetention() throws {
    let failure = try configError("[profiles.nightly.retention]\nkeep-last = 1\nkeep-daily = \"7\"\n")
    #expect(
      failure?.error
        == .wrongType(path: failure?.path ?? "", line: 3, key: "keep-daily", expected: "an integer", found: "string"))
  }

  @Test("a file that is not TOML is a syntax error with its line")
  func syntax() throws {
    let failure = try configError("[profiles.nightly]\noutput = \"/backups\"\njobs = \n")
    guard case .syntax(let path, let line, let message) = failure?.error else {
      Issue.record("\(String(describing: failure?.error))")
      return
    }
    #expect(path == failure?.path)
    #expect(line == 3)
    #expect(!message.isEmpty)
    #expect(failure?.error.description.hasPrefix("\(path):3: not valid TOML: ") == true)
  }

  @Test("a duplicate key is a syntax error on its line")
  func duplicate() throws {
    let failure = try configError("[profiles.nightly]\noutput = \"/a\"\noutput = \"/b\"\n")
    guard case .syntax(_, let line, _) = failure?.error else {
      Issue.record("\(String(describing: failure?.error))")
      return
    }
    #expect(line == 3)
  }

  @Test("an inline token is refused in a file its group or others may read", arguments: [0o644, 0o640, 0o604])
  func exposedToken(_ mode: Int) throws {
    let text = "[profiles.nightly]\nurl = \"https://x\"\ntoken = \"s3cr3t\"\n"
    let failure = try configError(text, mode: mode)
    let path = failure?.path ?? ""
    #expect(failure?.error == .exposedSecret(path: path, line: 3, key: "token"))
    #expect(failure?.error.description.contains("chmod 600 \(path)") == true)
    #expect(failure?.error.description.contains("s3cr3t") == false, "the secret is not repeated")
  }

  @Test("an inline token in [defaults] is refused too")
  func exposedTokenInDefaults() throws {
    let failure = try configError("[defaults]\ntoken = \"s3cr3t\"\n\n[profiles.nightly]\n", mode: 0o644)
    #expect(failure?.error == .exposedSecret(path: failure?.path ?? "", line: 2, key: "token"))
  }

  @Test("an inline token is taken from a file only its owner may read", arguments: [0o600, 0o400])
  func privateToken(_ mode: Int) throws {
    try withScratchDirectory { folder in
      let path = try writeConfig(
        "[profiles.nightly]\nurl = \"https://x\"\ntoken = \"s3cr3t\"\n", in: folder, mode: mode)
      #expect(try ConfigFile(path: path).profile("nightly").string(.token) == "s3cr3t")
    }
  }

  @Test("two ways to give the token in one profile are refused")
  func twoTokenSources() throws {
    let text = """
      [profiles.nightly]
      url = "https://x"
      token-file = "/etc/cellar/token"
      token-command = "pass show cells"
      """
    let failure = try configError(text)
    let path = failure?.path ?? ""
    #expect(
      failure?.error == .invalid(path: path, line: 4, message: "give one of token-file, token-command, not several"))

    let three = try configError(
      "[profiles.nightly]\ntoken = \"t\"\ntoken-file = \"/f\"\ntoken-command = \"c\"\n", mode: 0o600)
    guard case .invalid(_, let line, let message) = three?.error else {
      Issue.record("\(String(describing: three?.error))")
      return
    }
    #expect(line == 3)
    #expect(message == "give one of token, token-file, token-command, not several")
  }

  @Test("a profile's way to give the token replaces the one of [defaults]")
  func tokenSourceOverridesDefault() throws {
    try withScratchDirectory { folder in
      let path = try writeConfig(
        """
        [defaults]
        token-file = "/etc/cellar/token"

        [profiles.nightly]
        token-command = "pass show cells/nightly"
        """, in: folder)
      let profile = try ConfigFile(path: path).profile("nightly")
      #expect(profile.string(.tokenCommand) == "pass show cells/nightly")
      let given = [ProfileKey.token, .tokenFile, .tokenCommand].filter { profile.string($0) != nil }
      #expect(given == [.tokenCommand], "one way to give the token, not \(given.map(\.rawValue))")
    }
  }
}

@Suite("ConfigFile: which file and which profile")
struct ConfigFileLookupTests {
  @Test("without --config, $XDG_CONFIG_HOME/cellar/cellar.toml is read")
  func xdgConfigHome() throws {
    try withScratchDirectory { folder in
      let configHome = folder.appendingPathComponent("x")
      try FileManager.default.createDirectory(
        at: configHome.appendingPathComponent("cellar"), withIntermediateDirectories: true)
      let path = configHome.appendingPathComponent("cellar/cellar.toml").path
      try "[profiles.nightly]\noutput = \"/backups\"\n".write(toFile: path, atomically: false, encoding: .utf8)
      let environment = ["HOME": folder.path, "XDG_CONFIG_HOME": configHome.path]
      #expect(ConfigFile.searchPaths(environment: environment) == [path, "/etc/cellar/cellar.toml"])
      let profile = try ConfigFile.profile("nightly", config: nil, environment: environment)
      #expect(profile.file == path)
      #expect(profile.string(.output) == "/backups")

      let explicit = try writeConfig("[profiles.nightly]\noutput = \"/elsewhere\"\n", in: folder)
      let given = try ConfigFile.profile("nightly", config: explicit, environment: environment)
      #expect(given.string(.output) == "/elsewhere", "--config wins over the usual files")
    }
  }

  @Test("without XDG_CONFIG_HOME (or with it empty), ~/.config/cellar/cellar.toml is looked for")
  func homeConfig() {
    #expect(
      ConfigFile.searchPaths(environment: ["HOME": "/home/u"])
        == ["/home/u/.config/cellar/cellar.toml", "/etc/cellar/cellar.toml"])
    #expect(
      ConfigFile.searchPaths(environment: ["HOME": "/home/u", "XDG_CONFIG_HOME": ""])
        == ["/home/u/.config/cellar/cellar.toml", "/etc/cellar/cellar.toml"])
  }

  // /etc/cellar/cellar.toml is the second place searched: on a machine that has one, it is
  // found, and there is nothing to check here.
  @Test(
    "no file at all: the error lists the paths searched",
    .enabled(if: !FileManager.default.fileExists(atPath: "/etc/cellar/cellar.toml")))
  func notFound() throws {
    try withScratchDirectory { folder in
      let environment = ["HOME": folder.path, "XDG_CONFIG_HOME": folder.appendingPathComponent("x").path]
      let error = #expect(throws: ConfigError.self) {
        try ConfigFile.profile("nightly", config: nil, environment: environment)
      }
      let searched = [folder.appendingPathComponent("x/cellar/cellar.toml").path, "/etc/cellar/cellar.toml"]
      #expect(error == .notFound(searched: searched))
      #expect(error?.description.contains(searched.joined(separator: ", ")) == true)
    }
  }

  @Test("an unknown profile: the error lists the profiles the file has")
  func noProfile() throws {
    try withScratchDirectory { folder in
      let path = try writeConfig(ConfigFileTests.valid, in: folder)
      let error = #expect(throws: ConfigError.self) { try ConfigFile.profile("daily", config: path) }
      guard case .noProfile(let name, let file, let known) = error else {
        Issue.record("\(String(describing: error))")
        return
      }
      #expect(name == "daily")
      #expect(file == path)
      #expect(known.sorted() == ["nightly", "weekly"])
      #expect(error?.description == "no profile daily in \(path) (it has nightly, weekly)")
    }
  }
}
