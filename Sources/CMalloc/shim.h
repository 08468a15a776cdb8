// glibc's malloc tuning (mallopt), which the Glibc module does not export, and a thread-heap reservation.
#include <malloc.h>
#include <stdlib.h>

// glibc gives every thread but the first a heap of its own and makes it larger one page at a time, with an mprotect
// call per page (M_TOP_PAD pads only the first thread's heap): mapping a 10,000-deployment config on two threads
// made about 6,800 such calls, several milliseconds of system time. Allocating `bytes` in blocks below the mmap
// threshold and freeing them again leaves the calling thread's heap that large in address space, which glibc
// remembers: later growth up to that size needs no system call. The pages are handed back as the blocks are freed
// (all but a few block headers), so the reservation costs next to no resident memory. It pays with a trim threshold
// of a few MiB (LiteLLMSynapse.main sets 4 MiB): with glibc's 128 KiB, a heap whose top is that large hands memory
// back after most large frees. Done once per thread; later calls return at once.
static inline void cmalloc_reserve_thread_heap(size_t bytes) {
    static __thread int reserved;
    if (reserved) return;
    reserved = 1;
    enum { block = 96 << 10, most = 512 };
    void *blocks[most];
    size_t count = bytes / block < most ? bytes / block : most;
    for (size_t i = 0; i < count; i++) blocks[i] = malloc(block);
    for (size_t i = count; i-- > 0;) free(blocks[i]);
}
