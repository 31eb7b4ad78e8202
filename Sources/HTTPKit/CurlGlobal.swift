// curl_global_init must run once, before any other curl call, and is not thread safe itself.
internal import CCurl

/// Runs `curl_global_init` the first time it is read (Swift initialises globals lazily, once,
/// under a lock).
let curlGlobalInit: Void = {
  let code = curl_global_init(Int(CURL_GLOBAL_ALL))
  precondition(code == CURLE_OK, "curl_global_init failed with code \(code.rawValue)")
}()
