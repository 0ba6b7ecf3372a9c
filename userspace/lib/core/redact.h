/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The public declaration is the internal one. */
#include <qlink/redact.h>
