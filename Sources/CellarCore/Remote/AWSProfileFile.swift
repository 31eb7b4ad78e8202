// CellarCore: the AWS shared credentials and config files, read for one profile.
import Foundation

/// One of the AWS shared files, read as INI: `[default]`, `[NAME]` in the credentials file,
/// `[profile NAME]` in the config file; `key = value` lines (nested sections are passed over).
struct AWSProfileFile {
  let path: String
  let isConfig: Bool

  /// The keys of profile `name` (empty when the file or the profile is missing).
  func profile(_ name: String) -> [String: String] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
    let wanted = isConfig && name != "default" ? "profile \(name)" : name
    var inside = false
    var values: [String: String] = [:]
    for rawLine in text.split(whereSeparator: \.isNewline) {
      let line = rawLine.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
      if line.hasPrefix("[") {
        let section = line.dropFirst().prefix { $0 != "]" }.trimmingCharacters(in: .whitespaces)
        inside = section == wanted || (isConfig && name == "default" && section == "profile default")
        continue
      }
      // An indented line belongs to a nested section (`s3 =` then `  endpoint_url = …`).
      guard inside, rawLine.first?.isWhitespace != true, let equals = line.firstIndex(of: "=") else { continue }
      let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
      let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      if !value.isEmpty { values[key] = value }
    }
    return values
  }
}
