/* SPDX-License-Identifier: GPL-2.0 */
#ifndef QLINK_TOOL_SHA256_H
#define QLINK_TOOL_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* FIPS 180-4 SHA-256, for the FOTA manifest's file checks (no libcrypto in qlink). */
struct sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
	size_t n;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
/* @hex: 65 bytes, lower-case */
void sha256_final_hex(struct sha256 *c, char hex[65]);

#endif
