// SPDX-License-Identifier: GPL-2.0
/*
 * Formatting for the reasons the core gives when it stops a guest.  It
 * knows only what those messages use and always NUL-terminates.
 */
#include "format.h"

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_number(struct out *o, unsigned long long v, unsigned int base,
		       bool negative)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (negative)
		put(o, '-');
	while (n)
		put(o, digits[--n]);
}

static void put_string(struct out *o, const char *s)
{
	if (!s)
		s = "(null)";
	while (*s)
		put(o, *s++);
}

/* A conversion with optional "l"/"ll"; returns the characters consumed. */
static int convert(struct out *o, const char *fmt, va_list *ap)
{
	const char *p = fmt;
	int longs = 0;
	long long sv;

	while (*p == 'l') {
		longs++;
		p++;
	}
	switch (*p) {
	case 's':
		put_string(o, va_arg(*ap, const char *));
		break;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	case 'd':
		sv = longs ? va_arg(*ap, long long) : va_arg(*ap, int);
		put_number(o, sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv,
			   10, sv < 0);
		break;
	case 'u':
	case 'x':
		put_number(o, longs ? va_arg(*ap, unsigned long long) :
				      va_arg(*ap, unsigned int),
			   *p == 'u' ? 10 : 16, false);
		break;
	case '%':
		put(o, '%');
		break;
	default:
		put(o, '%');
		put(o, *p ? *p : '?');
		break;
	}
	return (int)(p - fmt) + (*p ? 1 : 0);
}

int co_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		fmt += convert(&o, fmt, &args);
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int co_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = co_vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
