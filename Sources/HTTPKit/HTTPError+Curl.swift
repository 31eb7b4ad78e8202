// The one place where curl's result codes become HTTPError cases.
internal import CCurl

extension HTTPError {
  /// The error for a failed transfer of `url` with curl's `code` and detailed `message`.
  init(curlCode code: CURLcode, url: String, message: String) {
    switch code {
    case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
      self = .invalidURL(url: url, message: message)
    case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
      self = .connectFailed(url: url, message: message)
    case CURLE_OPERATION_TIMEDOUT:
      self = .timedOut(url: url, message: message)
    case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
      CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
      CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE:
      self = .tls(url: url, message: message)
    // SEND_FAIL_REWIND: a kept-alive connection the server had closed meanwhile; curl would
    // resend on a new one but cannot rewind the body it was reading. The retry sends it again.
    case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING,
      CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_SEND_FAIL_REWIND:
      self = .connectionLost(url: url, message: message)
    default:
      self = .transfer(url: url, code: Int(code.rawValue), message: message)
    }
  }
}
