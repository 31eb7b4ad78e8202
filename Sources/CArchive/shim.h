// CArchive: libarchive for ArchiveKit, its only importer.
// libarchive has no variadic or macro-only API that Swift needs, so this header only includes it.
#ifndef CELLAR_CARCHIVE_SHIM_H
#define CELLAR_CARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>

#endif
