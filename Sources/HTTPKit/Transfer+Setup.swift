// Turning an HTTPRequest and the client settings into curl options.
internal import CCurl

extension Transfer {
  func configure(_ request: HTTPRequest, _ configuration: HTTPClientConfiguration) throws {
    try easy.set(CURLOPT_URL, request.url)
    try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
    // The URL is sent as signed: curl must not fold "/./", "/../" or "//" in object keys.
    try easy.set(CURLOPT_PATH_AS_IS, 1)
    // Several threads use curl: it must not rely on signals for timeouts.
    try easy.set(CURLOPT_NOSIGNAL, 1)
    // One transfer per connection: parallel downloads spread over several TCP connections,
    // as S3 clients do, instead of sharing one HTTP/2 connection's window.
    try easy.set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
    try easy.set(CURLOPT_TCP_KEEPALIVE, 1)
    try easy.set(CURLOPT_BUFFERSIZE, 256 * 1024)
    try easy.set(CURLOPT_UPLOAD_BUFFERSIZE, 512 * 1024)
    try configureTimeouts(configuration)
    try configureTLS(configuration.tlsVerification)
    try configureMethod(request)
    try easy.setHeaders(headerLines(request, configuration))
    try installCallbacks()
  }

  private func configureTimeouts(_ configuration: HTTPClientConfiguration) throws {
    try easy.set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(configuration.connectTimeout))
    // "Idle" = under one byte per second for the whole period; curl skips paused transfers.
    try easy.set(CURLOPT_LOW_SPEED_LIMIT, 1)
    try easy.set(CURLOPT_LOW_SPEED_TIME, max(1, milliseconds(configuration.idleTimeout) / 1000))
  }

  private func configureTLS(_ verification: HTTPClientConfiguration.TLSVerification) throws {
    switch verification {
    case .system:
      break
    case .caFile(let path):
      try easy.set(CURLOPT_CAINFO, path)
    case .insecure:
      try easy.set(CURLOPT_SSL_VERIFYPEER, 0)
      try easy.set(CURLOPT_SSL_VERIFYHOST, 0)
    }
  }

  private func configureMethod(_ request: HTTPRequest) throws {
    let length = request.body?.length ?? 0
    switch request.method {
    case "GET" where request.body == nil:
      try easy.set(CURLOPT_HTTPGET, 1)
    case "HEAD":
      try easy.set(CURLOPT_NOBODY, 1)
    case "POST":
      // POST with a size and no POSTFIELDS makes curl read the body from the read callback.
      try easy.set(CURLOPT_POST, 1)
      try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, length)
    default:
      if request.body != nil || request.method == "PUT" {
        try easy.set(CURLOPT_UPLOAD, 1)
        try easy.set(CURLOPT_INFILESIZE_LARGE, length)
      }
      if request.method != "PUT" {
        try easy.set(CURLOPT_CUSTOMREQUEST, request.method)
      }
    }
  }

  private func headerLines(_ request: HTTPRequest, _ configuration: HTTPClientConfiguration) -> [String] {
    var lines: [String] = []
    for field in request.headers where field.name.lowercased() != "content-length" {
      // curl drops "Name:" (empty value); "Name;" is its spelling for an empty header.
      lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
    }
    if request.headers["user-agent"] == nil {
      lines.append("User-Agent: \(configuration.userAgent)")
    }
    // No "Expect: 100-continue" round trip before bodies: the gateway answers at once anyway.
    if request.headers["expect"] == nil {
      lines.append("Expect:")
    }
    // curl's default POST content type would mislabel JSON or binary bodies.
    if request.method == "POST", request.headers["content-type"] == nil {
      lines.append("Content-Type:")
    }
    return lines
  }

  private func installCallbacks() throws {
    let context = Unmanaged.passUnretained(self).toOpaque()
    try easy.set(CURLOPT_HEADERDATA, context)
    try easy.set(CURLOPT_WRITEDATA, context)
    try easy.set(CURLOPT_READDATA, context)
    try easy.set(CURLOPT_HEADERFUNCTION) { buffer, size, count, context in
      let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
      return transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: buffer, count: size * count))
    }
    try easy.set(CURLOPT_WRITEFUNCTION) { buffer, size, count, context in
      let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
      return transfer.receiveBody(UnsafeRawBufferPointer(start: buffer, count: size * count))
    }
    try easy.set(CURLOPT_READFUNCTION) { buffer, size, count, context in
      let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
      return transfer.sendBody(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
    }
  }
}

private func milliseconds(_ duration: Duration) -> Int {
  let (seconds, attoseconds) = duration.components
  return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
}
