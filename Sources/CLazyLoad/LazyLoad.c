#include "CLazyLoad.h"

#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>

static char message[1024];

static const char *describe(const struct lazy_library *library, const char *what) {
    snprintf(message, sizeof message, "%s. This command needs %s; install it (Debian: apt-get install %s)", what,
             library->soname, library->debian_package);
    return message;
}

const char *lazy_library_load(struct lazy_library *library) {
    if (atomic_load_explicit(&library->handle, memory_order_acquire)) return NULL;
    // Two threads may both get here: dlopen counts references and returns the same handle to both.
    void *handle = dlopen(library->soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle) return describe(library, dlerror());
    atomic_store_explicit(&library->handle, handle, memory_order_release);
    return NULL;
}

static void fail(const char *text) {
    fprintf(stderr, "litellm-synapse: %s.\n", text);
    // _exit, not exit: other threads are running, and exit would run atexit handlers and destructors under them.
    _exit(127);
}

void *lazy_library_symbol(struct lazy_library *library, const char *name, _Atomic(void *) *cache) {
    void *address = atomic_load_explicit(cache, memory_order_acquire);
    if (address) return address;
    const char *problem = lazy_library_load(library);
    if (problem) fail(problem);
    // dlsym on the library's own handle finds its definition, not the forwarder of the same name in this program.
    address = dlsym(atomic_load_explicit(&library->handle, memory_order_acquire), name);
    if (!address) fail(describe(library, dlerror()));
    atomic_store_explicit(cache, address, memory_order_release);
    return address;
}
