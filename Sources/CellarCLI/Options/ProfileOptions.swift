// CellarCLI: `--config` and `--profile`: settings from the configuration file.
import ArgumentParser
import CellarCore
import Foundation

/// Which profile of which configuration file a command takes its settings from.
struct ProfileOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The configuration file (default: ~/.config/cellar/cellar.toml, else /etc/cellar/cellar.toml).",
      valueName: "file"), completion: .file())
  var config: String?

  @Option(help: ArgumentHelp("Take the settings of this profile of the configuration file.", valueName: "name"))
  var profile: String?

  /// The profile asked for, nil without `--profile`; a configuration file that cannot be used
  /// ends the command with its error and status 64 (usage).
  func load() throws -> Profile? {
    guard let profile else {
      if config != nil { throw Self.usage("--config needs --profile NAME: which profile of the file to take") }
      return nil
    }
    do {
      return try ConfigFile.profile(profile, config: config)
    } catch {
      throw Self.usage("\(error)")
    }
  }

  private static func usage(_ message: String) -> ExitCode {
    StandardError.print("cellar: error: \(message)")
    return ExitCode(ExitStatus.usage.rawValue)
  }
}
