// SPDX-License-Identifier: GPL-2.0
/*
 * The host asks the server whether it has a package before the module is
 * told to fetch it: a missing package otherwise costs a PDP activation
 * and a module error, and a missing .mini_2 strands an 8 MB part in
 * download mode. With libcurl (WITH_CURL=1) for http://, https:// and
 * ftp://, following redirects and using the proxies curl's environment
 * names (http_proxy, https_proxy, ftp_proxy, all_proxy, no_proxy), as
 * curl(1) does; without it, the library's own HEAD over plain http://.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifdef QLINK_HAVE_CURL
#include <curl/curl.h>
#endif

#include "fota/fota-priv.h"

#ifdef QLINK_HAVE_CURL

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
	curl_off_t cl = -1;
	long status = 0;
	CURLcode rc;
	CURL *c;
	int ret = -1;

	*size = -1;
	c = curl_easy_init();
	if (!c) {
		snprintf(why, len, "libcurl could not start");
		errno = ENOMEM;
		return -1;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, PROBE_MAX_REDIRS);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,ftp");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https,ftp");
#endif
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* a library must not take SIGALRM */
	/*
	 * Only whether the file is there: the module does its own TLS with its
	 * own settings (AT+QSSLCFG), so the host's trust store says nothing
	 * about whether the module's download will pass.
	 */
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
	if (kind == FOTA_SRC_FTP || (rc != CURLE_OK && !status)) {
		if (rc == CURLE_OK) {
			ret = 1;
			snprintf(why, len, "FTP SIZE");
		} else if (rc == CURLE_REMOTE_FILE_NOT_FOUND) {
			ret = 0;
			snprintf(why, len, "FTP %ld", status);
		} else {
			snprintf(why, len, "%s", curl_easy_strerror(rc));
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
	curl_easy_cleanup(c);
	return ret;
}

#else

int fota_probe(const char *url, unsigned int timeout_ms, int64_t *size, char *why, size_t len)
{
	int status;

	*size = -1;
	if (qlink_fota_src_kind(url) != FOTA_SRC_HTTP) {
		snprintf(why, len,
			 "libqlink was built without libcurl (WITH_CURL=0): the host "
			 "checks http:// only");
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

#endif
