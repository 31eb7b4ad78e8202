// CellarCore: the Prometheus text exposition format, as far as cellar's own metrics file needs it.
import Foundation

/// Gauges in Prometheus's text format (version 0.0.4): read back from the file and written out.
struct PrometheusText {
  /// One line `name{label="value",…} value`.
  struct Sample {
    var name: String
    var labels: [String: String]
    var value: Double
  }

  var samples: [Sample] = []
  /// The `# HELP` text of each metric.
  var help: [String: String] = [:]

  init(samples: [Sample] = [], help: [String: String] = [:]) {
    self.samples = samples
    self.help = help
  }

  /// The samples and help texts of `text`; lines that are not gauges cellar wrote are dropped.
  init(_ text: String) {
    for line in text.split(separator: "\n") {
      if line.hasPrefix("# HELP ") {
        let rest = line.dropFirst(7)
        guard let space = rest.firstIndex(of: " ") else { continue }
        help[String(rest[..<space])] = String(rest[rest.index(after: space)...])
      } else if !line.hasPrefix("#"), let sample = Self.sample(line) {
        samples.append(sample)
      }
    }
  }

  /// The file: each metric once, with its HELP and TYPE lines, then its samples.
  var rendered: String {
    var text = ""
    for (name, group) in Dictionary(grouping: samples, by: \.name).sorted(by: { $0.key < $1.key }) {
      if let help = help[name] { text += "# HELP \(name) \(help)\n" }
      text += "# TYPE \(name) gauge\n"
      for sample in group.sorted(by: { $0.labelText < $1.labelText }) {
        text += "\(name)\(sample.labelText) \(Self.number(sample.value))\n"
      }
    }
    return text
  }

  private static func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
  }

  /// A sample line, nil when it is not one.
  private static func sample(_ line: Substring) -> Sample? {
    var rest = line[...]
    let name = rest.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
    guard !name.isEmpty else { return nil }
    rest = rest.dropFirst(name.count)
    var labels: [String: String] = [:]
    if rest.first == "{" {
      rest = rest.dropFirst()
      while rest.first != "}" {
        let key = rest.prefix(while: { $0 != "=" })
        rest = rest.dropFirst(key.count)
        guard rest.hasPrefix("=\"") else { return nil }
        rest = rest.dropFirst(2)
        var value = ""
        while let character = rest.first, character != "\"" {
          rest = rest.dropFirst()
          if character == "\\", let escaped = rest.first {
            rest = rest.dropFirst()
            value.append(escaped == "n" ? "\n" : escaped)
          } else {
            value.append(character)
          }
        }
        guard !rest.isEmpty else { return nil }
        rest = rest.dropFirst()
        labels[key.trimmingCharacters(in: [" ", ","])] = value
        rest = rest.drop(while: { $0 == "," || $0 == " " })
        guard !rest.isEmpty else { return nil }
      }
      rest = rest.dropFirst()
    }
    guard let value = rest.split(separator: " ").first.flatMap({ Double($0) }) else { return nil }
    return Sample(name: String(name), labels: labels, value: value)
  }
}

extension PrometheusText.Sample {
  /// `{a="1",b="2"}`, labels sorted, values escaped.
  var labelText: String {
    guard !labels.isEmpty else { return "" }
    let pairs = labels.sorted { $0.key < $1.key }.map { key, value in
      let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        .replacingOccurrences(of: "\n", with: "\\n")
      return "\(key)=\"\(escaped)\""
    }
    return "{" + pairs.joined(separator: ",") + "}"
  }
}
