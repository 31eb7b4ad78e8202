// CCrypto: OpenSSL's libcrypto for HashKit, its only importer.
// OpenSSL 3 declares several digest helpers as macros (EVP_MD_CTX_size, EVP_MD_size), which Swift
// cannot call; the inline functions below give them real signatures.
#ifndef CELLAR_CCRYPTO_SHIM_H
#define CELLAR_CCRYPTO_SHIM_H

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/core_names.h>
#include <openssl/params.h>

/// The digest size of a message digest (EVP_MD_size is a macro in OpenSSL 3).
static inline int CCrypto_md_size(const EVP_MD *md) { return EVP_MD_get_size(md); }

/// The OSSL_PARAM list naming the digest an HMAC context uses; OSSL_PARAM_construct_* take
/// non-const names and return a struct by value, awkward to build in Swift.
static inline int CCrypto_mac_init_with_digest(EVP_MAC_CTX *ctx, const unsigned char *key,
                                               size_t keylen, const char *digest) {
  OSSL_PARAM params[2];
  params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
  params[1] = OSSL_PARAM_construct_end();
  return EVP_MAC_init(ctx, key, keylen, params);
}

#endif
