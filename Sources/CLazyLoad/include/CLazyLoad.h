// Loading a shared library on its first use instead of at process start.
//
// Only the commands that talk to a gateway or to a git remote need libcurl and libgit2, and loading the two with
// their ~40 dependencies at process start cost every command several milliseconds and about 7 MiB of resident
// memory. CCurl and CGit2 therefore define each function the program calls as a small forwarder that opens the
// library (dlopen) on the first call and jumps to the real function (dlsym), caching its address. The commands that
// need a library load it first (`ccurl_load`, `cgit2_load`), so that a missing one is reported before any work.
#ifndef C_LAZY_LOAD_H
#define C_LAZY_LOAD_H

#include <stdatomic.h>

struct lazy_library {
    const char *soname;        // as the dynamic loader would look it up, e.g. "libcurl.so.4"
    const char *debian_package; // named in the message when the library is missing
    _Atomic(void *) handle;
};

// Loads `library` now. Returns NULL, or what is missing and how to install it (a static buffer: call it before
// starting other threads, as the commands do).
const char *lazy_library_load(struct lazy_library *library);

// The address of `name` in `library`, loaded on first use; `cache` keeps it for the next call. If the library or the
// symbol cannot be found (a command that forgot to load it first, or an older library without the function), prints
// what is missing and exits at once with status 127, as the dynamic loader does for a library missing at start.
void *lazy_library_symbol(struct lazy_library *library, const char *name, _Atomic(void *) *cache);

// The library's own `name`, typed as the header declares `name`; `cache` is a static `_Atomic(void *)`.
#define LAZY_ADDRESS(library, name, cache) ((__typeof__(&name))lazy_library_symbol(&library, #name, &cache))

// Defines `returns name params` as a forwarder to the library's own `name`. `name`'s declaration comes from the
// library's header, so the compiler checks that the forwarder's signature matches it.
#define LAZY_FORWARD(library, returns, name, params, args)                                                  \
    static _Atomic(void *) lazy_address_of_##name;                                                        \
    returns name params { return LAZY_ADDRESS(library, name, lazy_address_of_##name) args; }

#define LAZY_FORWARD_VOID(library, name, params, args)                                                      \
    static _Atomic(void *) lazy_address_of_##name;                                                        \
    void name params { LAZY_ADDRESS(library, name, lazy_address_of_##name) args; }

#endif
