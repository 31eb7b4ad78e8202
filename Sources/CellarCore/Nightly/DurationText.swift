// CellarCore: durations as operators write them (`--max-duration 5h30m`).

/// Parses and prints `--max-duration` values: a number with a unit, `s`, `m`, `h` or `d`,
/// repeated (`90s`, `45m`, `5h30m`, `1d`); a bare number is seconds.
public enum DurationText {
  /// The duration `text` describes, or nil when it is not one (or not positive).
  public static func parse(_ text: String) -> Duration? {
    if let seconds = Double(text) { return seconds > 0 ? .milliseconds(Int64(seconds * 1000)) : nil }
    var total = 0.0
    var number = ""
    for character in text {
      if character.isNumber || character == "." {
        number.append(character)
        continue
      }
      let unit: Double
      switch character {
      case "s": unit = 1
      case "m": unit = 60
      case "h": unit = 3600
      case "d": unit = 86400
      default: return nil
      }
      guard let value = Double(number) else { return nil }
      total += value * unit
      number = ""
    }
    guard number.isEmpty, total > 0 else { return nil }
    return .milliseconds(Int64(total * 1000))
  }

  /// `duration` in the units `parse` reads (`5h30m`, `90s`).
  public static func format(_ duration: Duration) -> String {
    var seconds = Int(duration.components.seconds)
    var text = ""
    for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60)] where seconds >= size {
      text += "\(seconds / size)\(unit)"
      seconds %= size
    }
    return seconds > 0 || text.isEmpty ? text + "\(seconds)s" : text
  }
}
