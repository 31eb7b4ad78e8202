// S3Kit: the SigV4 date format, computed from epoch seconds so no locale or time zone can leak in.
import Foundation

/// Formats instants as SigV4 timestamps (`yyyyMMdd'T'HHmmss'Z'`, UTC).
///
/// Pure arithmetic on the epoch seconds (the proleptic Gregorian calendar, as `gmtime` does) instead
/// of a `DateFormatter`, whose locale and calendar settings are a classic source of wrong dates.
enum SigV4Timestamp {
  /// The `x-amz-date` value of `date`, with fractional seconds dropped: "20130524T000000Z".
  static func format(_ date: Date) -> String {
    let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
    let (days, secondOfDay) = seconds.quotientAndRemainderFloored(dividingBy: 86_400)
    let (year, month, day) = civilDate(daysSinceEpoch: days)
    return pad(year, 4) + pad(month, 2) + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2)
      + pad(secondOfDay / 60 % 60, 2) + pad(secondOfDay % 60, 2) + "Z"
  }

  /// Year, month and day of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
  static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
    let z = daysSinceEpoch + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153  // March = 0
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
  }

  private static func pad(_ value: Int64, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}

extension Int64 {
  /// Division rounding toward negative infinity, so instants before 1970 land on the right day.
  fileprivate func quotientAndRemainderFloored(dividingBy divisor: Int64) -> (Int64, Int64) {
    let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
    return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
  }
}
