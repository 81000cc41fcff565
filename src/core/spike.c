/*
 * spike.c: is the last hour's count of a term or a channel a spike? A
 * pure function of the count and its baseline, the counts of the same
 * hour on the previous days (store-trends.c gives them), so it is tested
 * on synthetic series (t-spike) with no store and no clock.
 *
 * The method: traffic in one hour is taken as Poisson around the mean of
 * the baseline (the same hour of the previous SPIKE_DAYS days, which
 * follows the daily shape: a quiet 3 a.m. is not compared with a busy
 * 11 a.m.). The hour is a spike when all three hold:
 *   - P(X >= observed | mean) < SPIKE_P (0.001): it is very unlikely;
 *   - observed >= SPIKE_MIN (5): three messages in an hour that usually
 *     has none are no crisis, however unlikely;
 *   - observed >= SPIKE_RATIO (3) times the mean: at large volumes a
 *     small relative rise is already improbable under Poisson (real
 *     traffic varies more than that), and a team only cares about a
 *     rise it can see.
 * The mean used is the baseline's raised by its standard error,
 * sqrt(mean / days): seven days estimate the mean only roughly, and a
 * quiet week would otherwise make an ordinary hour look improbable (the
 * false alarms at low volumes were above SPIKE_P without it). It is
 * floored at SPIKE_FLOOR (0.5) so an hour that had none all week does not
 * make any count infinitely unlikely.
 *
 * A spike travels in DATA/feed as one token (spike_token): the kind, the
 * count, the baseline mean, when and the name percent-encoded, comma
 * separated, so a term's spaces and commas never break the line.
 *
 * spike_sparkline draws counts as ▁▂▃▄▅▆▇█ (or " .:-=+*#" outside UTF-8)
 * for ombre trends.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * P(X >= k) for X Poisson of mean m, each term in log space (no
 * underflow of e^-m at large means): the upper sum when k is above the
 * mean (terms fall geometrically), else one minus the lower sum.
 */
double
spike_tail(unsigned long k, double m)
{
	double		lt, sum = 0, t;
	unsigned long	i;

	if (k == 0)
		return 1.0;
	if (m <= 0)
		return 0.0;
	if ((double)k > m) {
		/* log of the k-th term: -m + k log m - log k! */
		lt = -m;
		for (i = 1; i <= k; i++)
			lt += log(m) - log((double)i);
		for (i = k;; i++) {
			t = exp(lt);
			sum += t;
			if (t < sum * 1e-15 || t == 0)
				break;
			lt += log(m) - log((double)(i + 1));
		}
		return sum > 1.0 ? 1.0 : sum;
	}
	lt = -m;
	for (i = 0; i < k; i++) {
		sum += exp(lt);
		lt += log(m) - log((double)(i + 1));
	}
	return sum >= 1.0 ? 0.0 : 1.0 - sum;
}

int
spike_test(unsigned long observed, const double *base, size_t n,
    struct spike_verdict *v)
{
	double	sum = 0;
	size_t	i;

	memset(v, 0, sizeof *v);
	for (i = 0; i < n; i++)
		sum += base[i];
	v->mean = n > 0 ? sum / (double)n : 0;
	/* A quiet week makes an ordinary hour look improbable: the mean
	 * raised by its standard error under Poisson, sqrt(mean / n). */
	v->floored = n > 0 ? v->mean + sqrt(v->mean / (double)n) : 0;
	if (v->floored < SPIKE_FLOOR)
		v->floored = SPIKE_FLOOR;
	v->p = spike_tail(observed, v->floored);
	v->ratio = (double)observed / v->floored;
	v->spike = v->p < SPIKE_P && observed >= SPIKE_MIN &&
	    (double)observed >= SPIKE_RATIO * v->floored;
	return v->spike;
}

/* The bytes a token's name keeps as they are. */
static int
spike_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c == '~';
}

char *
spike_token(const struct spike *s)
{
	struct buf		 b;
	const unsigned char	*p;

	buf_init(&b);
	buf_add_printf(&b, "%s,%lu,%.2f,%lld,",
	    s->kind == SPIKE_CHANNEL ? "channel" : "term", s->count,
	    s->baseline, (long long)s->at);
	for (p = (const unsigned char *)s->name; *p != '\0'; p++) {
		if (spike_plain(*p))
			buf_add_char(&b, (char)*p);
		else
			buf_add_printf(&b, "%%%02X", *p);
	}
	return buf_steal(&b);
}

int
spike_token_parse(const char *token, struct spike *s)
{
	char		*copy, *f[5], *end, *name;
	size_t		 n = 0, i, j;
	int		 hi, lo;

	memset(s, 0, sizeof *s);
	copy = xstrdup(token);
	for (f[n] = copy; n < 4 && (end = strchr(f[n], ',')) != NULL;) {
		*end = '\0';
		f[++n] = end + 1;
	}
	if (n != 4 || strchr(f[4], ',') != NULL)
		goto bad;
	if (strcmp(f[0], "term") == 0)
		s->kind = SPIKE_TERM;
	else if (strcmp(f[0], "channel") == 0)
		s->kind = SPIKE_CHANNEL;
	else
		goto bad;
	s->count = strtoul(f[1], &end, 10);
	if (*f[1] == '\0' || *end != '\0')
		goto bad;
	s->baseline = strtod(f[2], &end);
	if (*f[2] == '\0' || *end != '\0' || !(s->baseline >= 0))
		goto bad;
	s->at = strtoll(f[3], &end, 10);
	if (*f[3] == '\0' || *end != '\0')
		goto bad;
	name = xmalloc(strlen(f[4]) + 1);
	for (i = j = 0; f[4][i] != '\0'; i++) {
		if (f[4][i] != '%') {
			name[j++] = f[4][i];
			continue;
		}
		if ((hi = util_hex_value(f[4][i + 1])) < 0 ||
		    (lo = util_hex_value(f[4][i + 2])) < 0) {
			free(name);
			goto bad;
		}
		name[j++] = (char)(hi << 4 | lo);
		i += 2;
	}
	name[j] = '\0';
	if (j == 0 || memchr(name, '\0', j) != NULL ||
	    !utf8_valid(name, j, NULL)) {
		free(name);
		goto bad;
	}
	s->name = name;
	free(copy);
	return 0;
bad:
	free(copy);
	return -1;
}

void
spike_clear(struct spike *s)
{
	free(s->name);
	s->name = NULL;
}

char *
spike_text(const struct spike *s)
{
	char	*safe, *text;

	safe = sanitize(s->name, strlen(s->name), SANITIZE_LINE, 40);
	if (s->baseline > 0 && (double)s->count / s->baseline >= 1.5)
		text = xasprintf(_("spike: '%s' x%.0f in the last hour (%lu)"),
		    safe, (double)s->count / s->baseline, s->count);
	else
		text = xasprintf(_("spike: '%s' %lu in the last hour"), safe,
		    s->count);
	free(safe);
	return text;
}

char *
spike_sparkline(const unsigned long *v, size_t n, int utf8)
{
	static const char *const bars[] = {
		"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
		"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"
	};
	static const char	ascii[] = "_.-:=+*#";
	struct buf		b;
	unsigned long		max = 0;
	size_t			i, level;

	for (i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	buf_init(&b);
	for (i = 0; i < n; i++) {
		/* Zero is the lowest bar; any count at least the second. */
		if (max == 0 || v[i] == 0)
			level = 0;
		else
			level = 1 + (size_t)(v[i] * 6 / max);
		if (level > 7)
			level = 7;
		if (utf8)
			buf_add_str(&b, bars[level]);
		else
			buf_add_char(&b, ascii[level]);
	}
	return buf_steal(&b);
}
