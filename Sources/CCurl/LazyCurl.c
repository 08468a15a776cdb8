// libcurl, loaded on the first call (see CLazyLoad.h). Every libcurl function the program calls has a line here;
// a new call that lacks one fails to link with "undefined reference to curl_…": add its line.
#include "CCurl.h"
#include "CLazyLoad.h"

// libcurl's soname has been libcurl.so.4 since 2006 (curl 7.16).
static struct lazy_library curl = {.soname = "libcurl.so.4", .debian_package = "libcurl4"};

const char *ccurl_load(void) { return lazy_library_load(&curl); }

LAZY_FORWARD(curl, CURLcode, curl_global_init, (long flags), (flags))
LAZY_FORWARD(curl, const char *, curl_easy_strerror, (CURLcode code), (code))
LAZY_FORWARD(curl, CURL *, curl_easy_init, (void), ())
LAZY_FORWARD_VOID(curl, curl_easy_cleanup, (CURL *h), (h))
LAZY_FORWARD(curl, struct curl_slist *, curl_slist_append, (struct curl_slist *list, const char *data), (list, data))
LAZY_FORWARD_VOID(curl, curl_slist_free_all, (struct curl_slist *list), (list))
LAZY_FORWARD(curl, CURLM *, curl_multi_init, (void), ())
LAZY_FORWARD(curl, CURLMcode, curl_multi_cleanup, (CURLM *m), (m))
LAZY_FORWARD(curl, CURLMcode, curl_multi_add_handle, (CURLM *m, CURL *h), (m, h))
LAZY_FORWARD(curl, CURLMcode, curl_multi_remove_handle, (CURLM *m, CURL *h), (m, h))
LAZY_FORWARD(curl, CURLMcode, curl_multi_perform, (CURLM *m, int *running), (m, running))
LAZY_FORWARD(curl, CURLMsg *, curl_multi_info_read, (CURLM *m, int *queued), (m, queued))
LAZY_FORWARD(curl, CURLMcode, curl_multi_wakeup, (CURLM *m), (m))
LAZY_FORWARD(curl, CURLMcode, curl_multi_poll,
             (CURLM *m, struct curl_waitfd extra_fds[], unsigned int extra_nfds, int timeout_ms, int *ret),
             (m, extra_fds, extra_nfds, timeout_ms, ret))

// The variadics: each wrapper passes its one typed argument through a pointer of the variadic type, which is how a
// direct call would pass it.
static _Atomic(void *) easy_setopt, easy_getinfo, multi_setopt;
#define EASY_SETOPT LAZY_ADDRESS(curl, curl_easy_setopt, easy_setopt)
#define EASY_GETINFO LAZY_ADDRESS(curl, curl_easy_getinfo, easy_getinfo)
#define MULTI_SETOPT LAZY_ADDRESS(curl, curl_multi_setopt, multi_setopt)

CURLcode ccurl_setopt_long(CURL *h, CURLoption o, long v) { return EASY_SETOPT(h, o, v); }
CURLcode ccurl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return EASY_SETOPT(h, o, v); }
CURLcode ccurl_setopt_string(CURL *h, CURLoption o, const char *v) { return EASY_SETOPT(h, o, v); }
CURLcode ccurl_setopt_pointer(CURL *h, CURLoption o, void *v) { return EASY_SETOPT(h, o, v); }
CURLcode ccurl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return EASY_SETOPT(h, o, v); }
CURLcode ccurl_setopt_write_callback(CURL *h, CURLoption o, curl_write_callback v) { return EASY_SETOPT(h, o, v); }
CURLcode ccurl_getinfo_long(CURL *h, CURLINFO i, long *v) { return EASY_GETINFO(h, i, v); }
CURLcode ccurl_getinfo_double(CURL *h, CURLINFO i, double *v) { return EASY_GETINFO(h, i, v); }
CURLcode ccurl_getinfo_pointer(CURL *h, CURLINFO i, void **v) { return EASY_GETINFO(h, i, v); }
CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return MULTI_SETOPT(m, o, v); }
