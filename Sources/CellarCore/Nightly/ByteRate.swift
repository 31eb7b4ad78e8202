// CellarCore: byte rates as operators write them (`--bwlimit 10M`).

/// Parses `--bwlimit` values: bytes per second with an optional binary suffix (`512K`, `10M`,
/// `1.5G`; `B`, `/s` and `iB` allowed: `10MiB/s`).
public enum ByteRate {
  /// Bytes per second, or nil when `text` is not a positive rate.
  public static func parse(_ text: String) -> Int64? {
    var rest = Substring(text)
    if rest.hasSuffix("/s") { rest = rest.dropLast(2) }
    if rest.hasSuffix("iB") { rest = rest.dropLast(2) } else if rest.hasSuffix("B") { rest = rest.dropLast() }
    var multiplier = 1.0
    if let last = rest.last, let power = ["K": 1.0, "M": 2.0, "G": 3.0, "T": 4.0][last.uppercased()] {
      multiplier = pow1024(power)
      rest = rest.dropLast()
    }
    guard let value = Double(rest), value > 0 else { return nil }
    let rate = value * multiplier
    return rate >= 1 && rate < 9e18 ? Int64(rate) : nil
  }

  private static func pow1024(_ power: Double) -> Double {
    var result = 1.0
    for _ in 0..<Int(power) { result *= 1024 }
    return result
  }
}
