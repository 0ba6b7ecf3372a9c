// SPDX-License-Identifier: GPL-2.0
/*
 * The host asks the server whether it has a package before the module is
 * told to fetch it: a missing package otherwise costs a PDP activation
 * and a module error, and a missing .mini_2 strands an 8 MB part in
 * download mode. With libcurl (WITH_CURL=1) for http://, https:// and
 * ftp://, following redirects and using the proxies curl's environment
 * names (http_proxy, https_proxy, ftp_proxy, all_proxy, no_proxy), as
 * curl(1) does; without it, the library's own HEAD over plain http://.
 *
 * libcurl is loaded when a probe first needs it, not linked: with its
 * TLS, HTTP/2, IDN, SSH and Kerberos libraries it took every process that
 * links libqlink from 1.7 to 8.8 MB resident (qlink -V), FTP transfers
 * and FILE uploads that never probe included. A system without libcurl at
 * run time gets the plain http:// HEAD, and the reason in the note.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef QLINK_HAVE_CURL
/* the calls go through pointers from dlsym(): no macro wrapping them */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <dlfcn.h>
#endif

#include "core/url.h"
#include "fota/fota-priv.h"

/* The library's own HEAD: plain http:// only. */
static int head_probe(const char *url, unsigned int timeout_ms, const char *no_curl, char *why,
		      size_t len)
{
	int status;

	if (qlink_fota_src_kind(url) != FOTA_SRC_HTTP) {
		snprintf(why, len, "%s: the host checks http:// only", no_curl);
		errno = ENOTSUP;
		return -1;
	}
	status = qlink_fota_http_head(url, timeout_ms, why, len);
	if (status < 0)
		return -1;
	snprintf(why, len, "HTTP %d", status);
	if (status >= 200 && status < 300)
		return 1;
	if (status == 404 || status == 410)
		return 0;
	errno = EIO;
	return -1;
}

#ifdef QLINK_HAVE_CURL

struct curl_api {
	CURL *(*init)(void);
	CURLcode (*setopt)(CURL *c, CURLoption opt, ...);
	CURLcode (*perform)(CURL *c);
	CURLcode (*getinfo)(CURL *c, CURLINFO info, ...);
	void (*cleanup)(CURL *c);
	const char *(*strerror)(CURLcode rc);
};

/* libcurl's ABI 4 (libcurl.so.4), resolved once; NULL if it is not there */
static const struct curl_api *curl_api(void)
{
	static struct curl_api api;
	static int state; /* 0 not tried, 1 loaded, -1 not available */
	void *h;

	if (state)
		return state > 0 ? &api : NULL;
	state = -1;
	h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return NULL;
	api.init = (CURL * (*)(void)) dlsym(h, "curl_easy_init");
	api.setopt = (CURLcode(*)(CURL *, CURLoption, ...))dlsym(h, "curl_easy_setopt");
	api.perform = (CURLcode(*)(CURL *))dlsym(h, "curl_easy_perform");
	api.getinfo = (CURLcode(*)(CURL *, CURLINFO, ...))dlsym(h, "curl_easy_getinfo");
	api.cleanup = (void (*)(CURL *))dlsym(h, "curl_easy_cleanup");
	api.strerror = (const char *(*)(CURLcode))dlsym(h, "curl_easy_strerror");
	if (!api.init || !api.setopt || !api.perform || !api.getinfo || !api.cleanup ||
	    !api.strerror) {
		dlclose(h);
		return NULL;
	}
	state = 1;
	return &api;
}

/*
 * The module reads user information up to the last '@' before the host,
 * and takes it as it is: a password may hold ',', ' ' or '@', which curl's
 * URL parser refuses or splits elsewhere. Hand curl the URL without it,
 * and the two parts, as the module reads them, on their own.
 */
static int set_url(const struct curl_api *api, CURL *c, const char *url, char **bare, char **user,
		   char **pass)
{
	struct url_parts u;
	size_t n;

	*bare = *user = *pass = NULL;
	if (url_split(url, &u) || !u.has_user)
		return api->setopt(c, CURLOPT_URL, url) == CURLE_OK ? 0 : -1;
	n = strlen(url);
	*bare = malloc(n + 1);
	*user = strndup(url + u.user.off, u.user.len);
	*pass = u.has_pass ? strndup(url + u.pass.off, u.pass.len) : NULL;
	if (!*bare || !*user || (u.has_pass && !*pass))
		return -1;
	/* scheme "://", then everything from the host on */
	snprintf(*bare, n + 1, "%.*s://%s", (int)u.scheme.len, url + u.scheme.off,
		 url + u.host.off);
	api->setopt(c, CURLOPT_URL, *bare);
	api->setopt(c, CURLOPT_USERNAME, *user);
	if (*pass)
		api->setopt(c, CURLOPT_PASSWORD, *pass);
	return 0;
}

/* curl's own limit for -L is 50; a package behind more is not one to fetch */
#define PROBE_MAX_REDIRS 20L

/* curl writes FTP's "headers" and any body to stdout unless told otherwise */
static size_t discard(char *p, size_t size, size_t n, void *user)
{
	return size * n;
}

int fota_probe(const char *url, unsigned int timeout_ms, int64_t *size, char *why, size_t len)
{
	enum fota_src kind = qlink_fota_src_kind(url);
	const struct curl_api *api = curl_api();
	char *bare = NULL, *user = NULL, *pass = NULL;
	curl_off_t cl = -1;
	long status = 0;
	CURLcode rc;
	CURL *c;
	int ret = -1;

	*size = -1;
	if (!api)
		return head_probe(url, timeout_ms, "libcurl (libcurl.so.4) is not installed", why,
				  len);
	c = api->init();
	if (!c) {
		snprintf(why, len, "libcurl could not start");
		errno = ENOMEM;
		return -1;
	}
	if (set_url(api, c, url, &bare, &user, &pass)) {
		snprintf(why, len, "out of memory");
		errno = ENOMEM;
		goto free_parts;
	}
	api->setopt(c, CURLOPT_NOBODY, 1L);
	api->setopt(c, CURLOPT_HEADERFUNCTION, discard);
	api->setopt(c, CURLOPT_WRITEFUNCTION, discard);
	api->setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	api->setopt(c, CURLOPT_MAXREDIRS, PROBE_MAX_REDIRS);
#if LIBCURL_VERSION_NUM >= 0x075500
	api->setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,ftp");
	api->setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https,ftp");
#endif
	api->setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	api->setopt(c, CURLOPT_NOSIGNAL, 1L); /* a library must not take SIGALRM */
	/*
	 * Only whether the file is there: the module does its own TLS with its
	 * own settings (AT+QSSLCFG), so the host's trust store says nothing
	 * about whether the module's download will pass.
	 */
	api->setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
	api->setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	rc = api->perform(c);
	api->getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	api->getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
	if (kind == FOTA_SRC_FTP || (rc != CURLE_OK && !status)) {
		if (rc == CURLE_OK) {
			ret = 1;
			snprintf(why, len, "FTP SIZE");
		} else if (rc == CURLE_REMOTE_FILE_NOT_FOUND) {
			ret = 0;
			snprintf(why, len, "FTP %ld", status);
		} else {
			snprintf(why, len, "%s", api->strerror(rc));
			errno = rc == CURLE_OPERATION_TIMEDOUT ? ETIMEDOUT : EIO;
		}
	} else if (status >= 200 && status < 300) {
		ret = 1;
		snprintf(why, len, "HTTP %ld", status);
	} else if (status == 404 || status == 410) {
		ret = 0;
		snprintf(why, len, "HTTP %ld", status);
	} else {
		snprintf(why, len, "HTTP %ld", status);
		errno = EIO;
	}
	if (ret == 1 && cl >= 0)
		*size = cl;
free_parts:
	api->cleanup(c);
	free(bare);
	free(user);
	free(pass);
	return ret;
}

#else

int fota_probe(const char *url, unsigned int timeout_ms, int64_t *size, char *why, size_t len)
{
	*size = -1;
	return head_probe(url, timeout_ms, "libqlink was built without libcurl (WITH_CURL=0)", why,
			  len);
}

#endif
