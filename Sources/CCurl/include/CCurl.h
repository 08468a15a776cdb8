#ifndef C_CURL_H
#define C_CURL_H

#if !__has_include(<curl/curl.h>)
#error "libcurl's headers are missing: install libcurl4-openssl-dev (scripts/install-deps.sh)"
#endif
#include <curl/curl.h>

// Loads libcurl now (see CLazyLoad.h): NULL, or what is missing and how to install it.
const char *ccurl_load(void);

// curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are C variadics and do not import into Swift.
// These typed wrappers are the only way Swift calls them.
CURLcode ccurl_setopt_long(CURL *h, CURLoption o, long v);
CURLcode ccurl_setopt_off(CURL *h, CURLoption o, curl_off_t v);
CURLcode ccurl_setopt_string(CURL *h, CURLoption o, const char *v);
CURLcode ccurl_setopt_pointer(CURL *h, CURLoption o, void *v);
CURLcode ccurl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v);
CURLcode ccurl_setopt_write_callback(CURL *h, CURLoption o, curl_write_callback v);
CURLcode ccurl_getinfo_long(CURL *h, CURLINFO i, long *v);
CURLcode ccurl_getinfo_double(CURL *h, CURLINFO i, double *v);
CURLcode ccurl_getinfo_pointer(CURL *h, CURLINFO i, void **v);
CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption o, long v);

#endif
