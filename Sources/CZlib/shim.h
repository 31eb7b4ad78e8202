// CZlib: zlib for HashKit, its only importer (CRC-32, the checksum S3 clients send as
// x-amz-checksum-crc32). zlib's checksum functions take `Bytef *` and `uInt` lengths; the
// wrapper below takes a size_t so Swift can pass any buffer length and zlib sees uInt-sized steps.
#ifndef CELLAR_CZLIB_SHIM_H
#define CELLAR_CZLIB_SHIM_H

#include <stddef.h>
#include <zlib.h>

/// crc32 over a buffer of any length (zlib's own takes at most UINT_MAX bytes per call).
static inline unsigned long CZlib_crc32_update(unsigned long crc, const void *bytes, size_t count) {
  const Bytef *p = (const Bytef *)bytes;
  while (count > 0) {
    uInt step = count > 0x40000000u ? 0x40000000u : (uInt)count;
    crc = crc32(crc, p, step);
    p += step;
    count -= step;
  }
  return crc;
}

#endif
