// CCurl: libcurl for HTTPKit, its only importer.
//
// curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic, which Swift cannot call.
// Each typed wrapper below passes exactly one argument type, so the compiler checks what Swift
// sends and curl reads what it expects (long, curl_off_t, char*, void*, or a function pointer).
#ifndef CELLAR_CCURL_SHIM_H
#define CELLAR_CCURL_SHIM_H

#include <curl/curl.h>

// MARK: - curl_easy_setopt

static inline CURLcode CCurl_easy_setopt_long(CURL *h, CURLoption o, long v) {
  return curl_easy_setopt(h, o, v);
}
static inline CURLcode CCurl_easy_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) {
  return curl_easy_setopt(h, o, v);
}
static inline CURLcode CCurl_easy_setopt_string(CURL *h, CURLoption o, const char *v) {
  return curl_easy_setopt(h, o, v);
}
static inline CURLcode CCurl_easy_setopt_pointer(CURL *h, CURLoption o, void *v) {
  return curl_easy_setopt(h, o, v);
}
static inline CURLcode CCurl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) {
  return curl_easy_setopt(h, o, v);
}

// Data callbacks (CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION, CURLOPT_READFUNCTION) share
// this shape: (buffer, size, nitems, userdata) -> bytes handled.
typedef size_t (*CCurl_data_callback)(char *buffer, size_t size, size_t nitems, void *userdata);

static inline CURLcode CCurl_easy_setopt_data_callback(CURL *h, CURLoption o, CCurl_data_callback f) {
  return curl_easy_setopt(h, o, f);
}

// MARK: - curl_easy_getinfo

static inline CURLcode CCurl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) {
  return curl_easy_getinfo(h, i, v);
}
static inline CURLcode CCurl_easy_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) {
  return curl_easy_getinfo(h, i, v);
}
static inline CURLcode CCurl_easy_getinfo_pointer(CURL *h, CURLINFO i, void **v) {
  return curl_easy_getinfo(h, i, v);
}

// MARK: - curl_multi_setopt

static inline CURLMcode CCurl_multi_setopt_long(CURLM *m, CURLMoption o, long v) {
  return curl_multi_setopt(m, o, v);
}

// MARK: - Constants Swift does not import (function-like or cast macros)

/// Returned by a write callback to pause the transfer (backpressure); curl keeps the data.
static const size_t CCurl_WRITEFUNC_PAUSE = CURL_WRITEFUNC_PAUSE;
/// Returned by a read callback to pause an upload until more data is ready.
static const size_t CCurl_READFUNC_PAUSE = CURL_READFUNC_PAUSE;
/// Returned by a read callback to abort an upload.
static const size_t CCurl_READFUNC_ABORT = CURL_READFUNC_ABORT;

#endif
