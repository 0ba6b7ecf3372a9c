/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The qlink authors */
/*
 * A pure, byte-fed AT response parser: no I/O, no allocation, no clock.
 *
 * Feed it the byte stream in pieces of any size; it calls back with one
 * event per line, prompt or run of payload bytes. What a line *is*
 * depends on the command in flight, which the owner describes with
 * qlink_at_parser_set_ctx(); everything else is decided here, so the
 * decision can be tested without a port.
 */
#ifndef QLINK_AT_PARSER_H
#define QLINK_AT_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <qlink/result.h>

/*
 * Longest line kept, including its NUL. The manuals' longest lines are
 * +QFOTADL echoes with a 255-byte URL and +QFTPPWD with a 255-byte path.
 */
#define QLINK_AT_LINE_MAX 1024
#define QLINK_AT_TERM_MAX 16

enum qlink_at_ev {
	QLINK_AT_EV_LINE,    /* information response of the command in flight */
	QLINK_AT_EV_URC,     /* unsolicited line */
	QLINK_AT_EV_FINAL,   /* final result code */
	QLINK_AT_EV_ECHO,    /* the command in flight echoed back (ATE1) */
	QLINK_AT_EV_PROMPT,  /* "> " */
	QLINK_AT_EV_RAW,     /* payload bytes in data mode */
	QLINK_AT_EV_RAW_END, /* the framed payload is complete */
};

#define QLINK_AT_F_TRUNCATED (1u << 0) /* line longer than the buffer */
#define QLINK_AT_F_NUL (1u << 1)       /* NUL bytes were dropped from it */
/*
 * RAW_END: the payload was not followed by the trailer armed with
 * qlink_at_parser_expect_raw_trailer(): bytes were lost or added on the
 * line, so the payload is not what the module sent.
 */
#define QLINK_AT_F_BAD_TRAILER (1u << 2)
#define QLINK_AT_TRAILER_MAX 16

/**
 * struct qlink_at_event - what the parser saw
 * @type:   QLINK_AT_EV_*
 * @flags:  QLINK_AT_F_* (lines)
 * @text:   the line, NUL-terminated, without CR/LF; or the raw bytes
 * @len:    length of @text
 * @result: for FINAL, which one
 * @code:   for +CME/+CMS ERROR, the number (-1 if not numeric)
 * @arg:    for FINAL, what follows the result word (CONNECT's text,
 *          a textual +CME ERROR); "" if nothing
 */
struct qlink_at_event {
	enum qlink_at_ev type;
	unsigned int flags;
	const char *text;
	size_t len;
	enum qlink_result result;
	int code;
	const char *arg;
};

typedef void (*qlink_at_event_cb)(const struct qlink_at_event *ev, void *user);

/**
 * struct qlink_at_ctx - the command in flight, as the parser needs it
 * @active:   a command has been sent and has not ended
 * @echo:     its line, to recognise ATE1 echo (NULL: none)
 * @prefixes: NULL-terminated response prefixes (NULL: none)
 * @async:    its async result prefix, also taken as a response (NULL)
 * @prompt:   a "> " prompt is expected at the start of a line
 * @bare:     lines without '+' that are not known URCs are responses
 *            (true until the final result; false while only an async
 *            result is awaited)
 */
struct qlink_at_ctx {
	bool active;
	const char *echo;
	const char *const *prefixes;
	const char *async;
	bool prompt;
	bool bare;
};

enum qlink_at_state {
	QLINK_AT_ST_LINE,     /* collecting a line (len 0: at its start) */
	QLINK_AT_ST_CR,	      /* a line ended with CR; swallow one LF */
	QLINK_AT_ST_PROMPT,   /* saw '>' at line start; swallow one space */
	QLINK_AT_ST_RAW_N,    /* payload of known length */
	QLINK_AT_ST_RAW_TERM, /* payload until a terminator */
	QLINK_AT_ST_TRAILER,  /* after a RAW_N payload: checking its trailer */
};

/**
 * struct qlink_at_parser - parser state; treat as opaque
 *
 * Embedded by value so the parser never allocates. @urcs is a sorted
 * table of URC tokens (see qlink_at_parser_init()).
 */
struct qlink_at_parser {
	enum qlink_at_state state;
	unsigned int flags; /* QLINK_AT_F_* of the current line */
	size_t len;	    /* bytes in @line */
	size_t raw_left;    /* ST_RAW_N */
	size_t fed;	    /* bytes fed since init: the stream position */
	size_t line_at;	    /* stream position where the last line began */
	size_t pend_raw;    /* armed framing, entered at line start */
	int pend_mode;	    /* 0 none, 1 RAW_N, 2 RAW_TERM */
	size_t term_len;
	size_t term_match;	 /* ST_RAW_TERM: bytes of @term matched */
	bool hold;		 /* the terminator is still to be parsed */
	size_t pend_trailer_len; /* armed with the framing: 0 none */
	size_t trailer_len;	 /* of the payload being framed */
	size_t trailer_got;	 /* ST_TRAILER: bytes of @trailer matched */
	size_t trailer_at;	 /* ST_TRAILER: stream position of its first byte */
	char pend_trailer[QLINK_AT_TRAILER_MAX];
	char trailer[QLINK_AT_TRAILER_MAX];
	unsigned char term_fail[QLINK_AT_TERM_MAX];
	char term[QLINK_AT_TERM_MAX];
	struct qlink_at_ctx ctx;
	const char *const *urcs;
	size_t n_urcs;
	qlink_at_event_cb cb;
	void *user;
	char line[QLINK_AT_LINE_MAX];
};

/**
 * qlink_at_parser_init() - reset to line mode with no command in flight
 * @p:      the parser
 * @urcs:   URC tokens sorted by strcmp(): "+QIND:" for prefixed URCs
 *          (the text up to and including the first ':'), the whole line
 *          for bare ones ("RDY"). NULL selects the built-in table.
 * @n_urcs: entries in @urcs
 * @cb:     event callback; may change the context or arm raw framing
 * @user:   passed to @cb
 */
void qlink_at_parser_init(struct qlink_at_parser *p, const char *const *urcs, size_t n_urcs,
			  qlink_at_event_cb cb, void *user);

/**
 * qlink_at_parser_feed() - parse bytes
 * @p:   the parser
 * @buf: bytes as they came off the wire, any split
 * @len: count
 */
void qlink_at_parser_feed(struct qlink_at_parser *p, const void *buf, size_t len);

/**
 * qlink_at_parser_set_ctx() - describe the command in flight
 * @p:   the parser
 * @ctx: copied; the strings it points to must stay valid until the next
 *       call. NULL: no command in flight.
 */
void qlink_at_parser_set_ctx(struct qlink_at_parser *p, const struct qlink_at_ctx *ctx);

/**
 * qlink_at_parser_expect_raw() - frame the next @n bytes as payload
 * @p: the parser
 * @n: payload length (0: nothing; a RAW_END event follows at once)
 *
 * Called from the CONNECT event, it takes effect after that line's CR LF;
 * otherwise at the start of the next line.
 */
void qlink_at_parser_expect_raw(struct qlink_at_parser *p, size_t n);

/**
 * qlink_at_parser_expect_raw_trailer() - frame @n bytes, then check what follows
 * @p:       the parser
 * @n:       payload length (0: nothing, and nothing is checked)
 * @trailer: 1..QLINK_AT_TRAILER_MAX bytes the module sends right after the
 *           payload ("\r\nOK\r": the start of its OK line)
 * @len:     length of @trailer
 *
 * As qlink_at_parser_expect_raw(), but RAW_END comes only once the bytes
 * after the payload are known to be @trailer or not; if not, it carries
 * QLINK_AT_F_BAD_TRAILER. A byte lost on the line otherwise makes the
 * first byte of the trailer the payload's last, unnoticed. The bytes
 * checked are then parsed as lines, at their place.
 *
 * Return: 0, or -EINVAL for a bad length.
 */
int qlink_at_parser_expect_raw_trailer(struct qlink_at_parser *p, size_t n, const char *trailer,
				       size_t len);

/**
 * qlink_at_parser_expect_raw_until() - payload until @term
 * @p:    the parser
 * @term: 1..QLINK_AT_TERM_MAX bytes; parsed as lines once matched
 * @len:  length of @term
 *
 * Return: 0, or -EINVAL for a bad length.
 */
int qlink_at_parser_expect_raw_until(struct qlink_at_parser *p, const char *term, size_t len);

/**
 * qlink_at_parser_line_back() - where the line being reported began
 * @p: the parser
 *
 * Valid from a line's event (LINE, URC, ECHO, FINAL); the terminator of a
 * QLINK_AT_ST_RAW_TERM payload counts at its place in the input.
 *
 * Return: bytes fed since the first byte of that line (itself included),
 * up to the end of the input fed so far.
 */
size_t qlink_at_parser_line_back(const struct qlink_at_parser *p);

/** qlink_at_parser_in_raw() - true while payload is being framed. */
bool qlink_at_parser_in_raw(const struct qlink_at_parser *p);

/** Bytes of a payload of known length still to come; 0 outside one. */
size_t qlink_at_parser_raw_left(const struct qlink_at_parser *p);

/**
 * qlink_at_parser_framing() - is payload framed now or armed to be?
 *
 * True from qlink_at_parser_expect_raw*() until the payload has ended:
 * what the owner must undo (qlink_at_parser_init()) when a data phase is
 * abandoned.
 */
bool qlink_at_parser_framing(const struct qlink_at_parser *p);

/**
 * qlink_at_final_parse() - is @line a final result code?
 * @line: a NUL-terminated line
 * @ev:   filled with result, code and arg if so
 *
 * Return: true if @line is a final result code.
 */
bool qlink_at_final_parse(const char *line, struct qlink_at_event *ev);

/* Longest line qlink_at_ending() considers; the module's own are short. */
#define QLINK_AT_ENDING_MAX 128

/**
 * qlink_at_ending() - where the module's own lines begin at the end of @buf
 * @p:     the parser (for its URC table)
 * @buf:   the last bytes received in data mode
 * @len:   their count
 * @async: the command's async result prefix ("+QFTPGET:"), or NULL
 *
 * A download that ends early (the server's data connection dropped, the
 * module rebooted) leaves data mode before the announced length, and
 * what follows the last payload byte is the module speaking again:
 * "\r\nOK\r\n", "+QFTPGET: 607,0", "NO CARRIER", "RDY". This finds the
 * longest such run of complete lines that @buf ends with; its first
 * byte is the first that is not payload. A run must hold a line that
 * ends data mode for good (the @async result, a failure, a bare URC such
 * as RDY): an OK alone, or a "+QIND:" line, is what a payload may hold
 * before a pause, and the module always follows its OK with the result.
 * Pure, so it can be tested; the channel decides when to believe it.
 *
 * Return: the offset of the run, or @len if @buf does not end with one.
 */
size_t qlink_at_ending(const struct qlink_at_parser *p, const void *buf, size_t len,
		       const char *async);

extern const char *const qlink_at_urc_table[];
extern const size_t qlink_at_urc_table_len;

#endif /* QLINK_AT_PARSER_H */
