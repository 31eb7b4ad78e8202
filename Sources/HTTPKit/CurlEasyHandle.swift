// The owner of one CURL easy handle and the C memory it points into.
internal import CCurl

/// One `CURL *` with its error buffer and header list, freed in `deinit`.
///
/// Used by one thread at
/// a time: configured by the caller, then driven only by the multi loop's thread.
final class CurlEasyHandle {
  let raw: UnsafeMutableRawPointer
  /// curl writes its detailed message here (CURLOPT_ERRORBUFFER); it must not move.
  private let errorBuffer: UnsafeMutablePointer<CChar>
  private var headerList: UnsafeMutablePointer<curl_slist>?

  /// Wraps `curl_easy_init`.
  init() throws {
    _ = curlGlobalInit
    guard let raw = curl_easy_init() else {
      throw HTTPError.transfer(url: "", code: -1, message: "curl_easy_init returned NULL")
    }
    self.raw = raw
    errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    CCurl_easy_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer)
  }

  deinit {
    curl_easy_cleanup(raw)
    curl_slist_free_all(headerList)
    errorBuffer.deallocate()
  }

  // MARK: - Options

  func set(_ option: CURLoption, _ value: Int) throws {
    try check(CCurl_easy_setopt_long(raw, option, value), option)
  }

  func set(_ option: CURLoption, _ value: Int64) throws {
    try check(CCurl_easy_setopt_off_t(raw, option, curl_off_t(value)), option)
  }

  /// curl copies string options, so the Swift string need not outlive the call.
  func set(_ option: CURLoption, _ value: String) throws {
    try check(CCurl_easy_setopt_string(raw, option, value), option)
  }

  func set(_ option: CURLoption, _ value: UnsafeMutableRawPointer) throws {
    try check(CCurl_easy_setopt_pointer(raw, option, value), option)
  }

  func set(_ option: CURLoption, _ callback: CCurl_data_callback) throws {
    try check(CCurl_easy_setopt_data_callback(raw, option, callback), option)
  }

  /// Sets the request headers; the list stays alive as long as this handle.
  func setHeaders(_ lines: [String]) throws {
    var list: UnsafeMutablePointer<curl_slist>? = nil
    for line in lines {
      guard let appended = curl_slist_append(list, line) else {
        curl_slist_free_all(list)
        throw HTTPError.transfer(url: "", code: -1, message: "curl_slist_append returned NULL")
      }
      list = appended
    }
    curl_slist_free_all(headerList)
    headerList = list
    try check(CCurl_easy_setopt_slist(raw, CURLOPT_HTTPHEADER, list), CURLOPT_HTTPHEADER)
  }

  // MARK: - Info

  /// The status of the last response received.
  ///
  /// Wraps `curl_easy_getinfo(CURLINFO_RESPONSE_CODE)`.
  var responseCode: Int {
    var code = 0
    _ = CCurl_easy_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &code)
    return code
  }

  /// curl's detailed message for the last failure, or the generic text of `code`.
  func message(for code: CURLcode) -> String {
    let detail = String(cString: errorBuffer)
    return detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
  }

  private func check(_ code: CURLcode, _ option: CURLoption) throws {
    guard code != CURLE_OK else { return }
    throw HTTPError.transfer(
      url: "", code: Int(code.rawValue),
      message: "setting curl option \(option.rawValue): \(String(cString: curl_easy_strerror(code)))")
  }
}

@available(*, unavailable)
extension CurlEasyHandle: Sendable {}
