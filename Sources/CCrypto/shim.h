// CCrypto: OpenSSL's libcrypto for HashKit, its only importer.
// OpenSSL 3 declares several digest helpers as macros (EVP_MD_CTX_size, EVP_MD_size), which Swift
// cannot call, and builds KDF arguments as OSSL_PARAM arrays, awkward in Swift; the inline
// functions below give them real signatures.
#ifndef CELLAR_CCRYPTO_SHIM_H
#define CELLAR_CCRYPTO_SHIM_H

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>

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

/// Derives `outlen` bytes with HKDF-SHA256 (extract then expand) on a context of the "HKDF" KDF.
/// An empty salt or info is left out of the list: OpenSSL then uses the RFC 5869 default (a zero
/// salt of hash length, which gives the same PRK as an empty one; an empty info).
static inline int CCrypto_hkdf_sha256_derive(EVP_KDF_CTX *ctx, const unsigned char *key, size_t keylen,
                                             const unsigned char *salt, size_t saltlen,
                                             const unsigned char *info, size_t infolen,
                                             unsigned char *out, size_t outlen) {
  OSSL_PARAM params[5];
  int count = 0;
  params[count++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
  params[count++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)key, keylen);
  if (saltlen > 0) {
    params[count++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, saltlen);
  }
  if (infolen > 0) {
    params[count++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, infolen);
  }
  params[count] = OSSL_PARAM_construct_end();
  return EVP_KDF_derive(ctx, out, outlen, params);
}

/// Derives `outlen` bytes with scrypt (RFC 7914) on a context of the "SCRYPT" KDF; `maxmem` bounds
/// the memory OpenSSL agrees to use (its default, 32 MiB, is below age's usual work factor).
static inline int CCrypto_scrypt_derive(EVP_KDF_CTX *ctx, const unsigned char *pass, size_t passlen,
                                        const unsigned char *salt, size_t saltlen, uint64_t n,
                                        uint32_t r, uint32_t p, uint64_t maxmem, unsigned char *out,
                                        size_t outlen) {
  OSSL_PARAM params[7];
  params[0] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, (void *)pass, passlen);
  params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, saltlen);
  params[2] = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n);
  params[3] = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r);
  params[4] = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p);
  params[5] = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem);
  params[6] = OSSL_PARAM_construct_end();
  return EVP_KDF_derive(ctx, out, outlen, params);
}

/// Sets the tag an AEAD decryption must match (EVP_CIPHER_CTX_ctrl takes a non-const pointer).
static inline int CCrypto_aead_set_tag(EVP_CIPHER_CTX *ctx, const unsigned char *tag, int taglen) {
  return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, taglen, (void *)tag);
}

/// Reads the tag an AEAD encryption computed, after EVP_CipherFinal_ex.
static inline int CCrypto_aead_get_tag(EVP_CIPHER_CTX *ctx, unsigned char *tag, int taglen) {
  return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, taglen, tag);
}

#endif
