// Tests for the SigV4 date format, computed without DateFormatter.
import Foundation
import Testing

@testable import S3Kit

@Suite struct SigV4TimestampTests {
  @Test(arguments: [
    (0.0, "19700101T000000Z"),
    (1_369_353_600, "20130524T000000Z"),
    (1_700_000_000.999, "20231114T221320Z"),  // fractions are dropped, not rounded
    (951_782_400, "20000229T000000Z"),  // leap day of a century divisible by 400
    (1_709_251_199, "20240229T235959Z"),
    (4_107_542_400, "21000301T000000Z"),  // 2100 is not a leap year
    (-1, "19691231T235959Z"),
  ])
  func formats(seconds: Double, expected: String) {
    #expect(SigV4Signer.timestamp(Date(timeIntervalSince1970: seconds)) == expected)
  }

  @Test func agreesWithGregorianCalendarOverManyDays() throws {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
    // Every 7 days and 1 hour and 1 second from 1900 to about 2100 (a prime-ish stride).
    var seconds: Int64 = -2_208_988_800
    while seconds < 4_102_444_800 {
      let date = Date(timeIntervalSince1970: Double(seconds))
      let parts = calendar.dateComponents(
        [.year, .month, .day, .hour, .minute, .second], from: date)
      let expected = String(
        format: "%04d%02d%02dT%02d%02d%02dZ", parts.year!, parts.month!, parts.day!, parts.hour!,
        parts.minute!, parts.second!)
      #expect(SigV4Signer.timestamp(date) == expected)
      seconds += 7 * 86_400 + 3_601
    }
  }
}
