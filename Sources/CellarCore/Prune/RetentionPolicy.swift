// CellarCore: which backups `cellar prune` keeps: restic's policy (`restic forget --keep-*`).
import Foundation

/// Keep rules in restic's sense: the newest N backups, and the newest backup of each of the N
/// most recent hours, days, weeks (ISO 8601), months and years that have one.
///
/// Backups are taken newest first; a rule keeps a backup when its calendar bucket differs from
/// that of the last backup the rule kept, while the rule has count left. As in restic, the
/// oldest backup is also kept by every rule that still has count left, so that history reaches
/// as far back as the counts allow. Calendar buckets are UTC unless `timeZone` says otherwise.
public struct RetentionPolicy: Sendable, Equatable {
  /// `--keep-last`.
  public var last = 0
  /// `--keep-hourly`.
  public var hourly = 0
  /// `--keep-daily`.
  public var daily = 0
  /// `--keep-weekly`.
  public var weekly = 0
  /// `--keep-monthly`.
  public var monthly = 0
  /// `--keep-yearly`.
  public var yearly = 0
  /// The zone calendar buckets are taken in.
  public var timeZone = TimeZone(identifier: "UTC")!

  /// An empty policy (it keeps nothing: give at least one rule).
  public init() {}

  /// Whether no rule is set.
  public var isEmpty: Bool { [last, hourly, daily, weekly, monthly, yearly].allSatisfy { $0 <= 0 } }

  /// For each time (any order), the reasons it is kept; empty reasons: not kept.
  ///
  /// Of two equal times (backups started in the same second), the later in `times` counts as
  /// the newer: the catalog lists a backup after its base.
  public func apply(_ times: [Date]) -> [[String]] {
    var calendar = Calendar(identifier: .iso8601)
    calendar.timeZone = timeZone
    let order = times.indices.sorted { times[$0] != times[$1] ? times[$0] > times[$1] : $0 > $1 }
    var rules: [(count: Int, reason: String, bucket: (Date, Int) -> Int)] = [
      (last, "last", { _, position in position }),
      (hourly, "hourly", { date, _ in Self.bucket(calendar, date, [.year, .month, .day, .hour]) }),
      (daily, "daily", { date, _ in Self.bucket(calendar, date, [.year, .month, .day]) }),
      (weekly, "weekly", { date, _ in Self.bucket(calendar, date, [.yearForWeekOfYear, .weekOfYear]) }),
      (monthly, "monthly", { date, _ in Self.bucket(calendar, date, [.year, .month]) }),
      (yearly, "yearly", { date, _ in Self.bucket(calendar, date, [.year]) }),
    ]
    var lastBucket = [Int?](repeating: nil, count: rules.count)
    var reasons = [[String]](repeating: [], count: times.count)
    for (position, index) in order.enumerated() {
      for rule in rules.indices where rules[rule].count > 0 {
        let bucket = rules[rule].bucket(times[index], position)
        if bucket != lastBucket[rule] || position == order.count - 1 {
          lastBucket[rule] = bucket
          rules[rule].count -= 1
          reasons[index].append(rules[rule].reason)
        }
      }
    }
    return reasons
  }

  private static func bucket(_ calendar: Calendar, _ date: Date, _ units: [Calendar.Component]) -> Int {
    let parts = calendar.dateComponents(Set(units), from: date)
    return units.reduce(0) { $0 * 10_000 + (parts.value(for: $1) ?? 0) }
  }
}
