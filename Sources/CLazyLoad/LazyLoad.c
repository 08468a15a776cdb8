#include "CLazyLoad.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

static void fail(const struct lazy_library *library, const char *what) {
    fprintf(stderr,
            "litellm-synapse: %s. This command needs %s; install it (Debian: apt-get install %s).\n",
            what, library->soname, library->debian_package);
    exit(127);
}

static void *library_handle(struct lazy_library *library) {
    void *handle = atomic_load_explicit(&library->handle, memory_order_acquire);
    if (handle) return handle;
    // Two threads may both get here: dlopen counts references and returns the same handle to both.
    handle = dlopen(library->soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle) fail(library, dlerror());
    atomic_store_explicit(&library->handle, handle, memory_order_release);
    return handle;
}

void *lazy_library_symbol(struct lazy_library *library, const char *name, _Atomic(void *) *cache) {
    void *address = atomic_load_explicit(cache, memory_order_acquire);
    if (address) return address;
    // dlsym on the library's own handle finds its definition, not the forwarder of the same name in this program.
    address = dlsym(library_handle(library), name);
    if (!address) fail(library, dlerror());
    atomic_store_explicit(cache, address, memory_order_release);
    return address;
}
