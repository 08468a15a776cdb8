#ifndef C_GIT2_H
#define C_GIT2_H

#if !__has_include(<git2.h>)
#error "libgit2's headers are missing: install libgit2-dev (scripts/install-deps.sh)"
#endif
#include <git2.h>

// Loads libgit2 now (see CLazyLoad.h): NULL, or what is missing and how to install it.
const char *cgit2_load(void);

#endif
