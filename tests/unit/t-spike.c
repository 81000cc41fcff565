/*
 * t-spike.c: spike detection (spike.c) on synthetic series: the Poisson
 * tail against known values, a burst that fires, quiet hours and large
 * volumes that do not, and the false-alarm rate over many simulated weeks
 * of seeded Poisson traffic with a daily shape (printed as a diagnostic,
 * held under a bound); the feed's token both ways and the sparklines.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

/* A small seeded generator (xorshift64*), the same on every machine. */
static uint64_t	rng_state = 0x9e3779b97f4a7c15ULL;

static double
rng_uniform(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ULL) >> 11) /
	    9007199254740992.0;
}

/* Poisson of mean m: Knuth's product for small means, a rounded normal
 * past 50 (the tests' large hours). */
static unsigned long
rng_poisson(double m)
{
	double		l = exp(-m), p = 1, u1, u2, z;
	unsigned long	k = 0;

	if (m > 50) {
		u1 = rng_uniform();
		u2 = rng_uniform();
		if (u1 < 1e-300)
			u1 = 1e-300;
		z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
		z = m + z * sqrt(m) + 0.5;
		return z < 0 ? 0 : (unsigned long)z;
	}
	do {
		k++;
		p *= rng_uniform();
	} while (p > l);
	return k - 1;
}

/* The mean of an hour of the day: quiet at night, a peak late morning
 * and one after lunch, times a volume. */
static double
shape(int hour, double volume)
{
	static const double	day[24] = {
		0.05, 0.03, 0.02, 0.02, 0.03, 0.05, 0.15, 0.4, 0.8, 1.2,
		1.5, 1.6, 1.3, 1.1, 1.4, 1.5, 1.3, 1.1, 0.9, 0.7, 0.5, 0.3,
		0.15, 0.08
	};

	return day[hour] * volume;
}

static void
test_tail(void)
{
	ok(fabs(spike_tail(0, 3) - 1.0) < 1e-12, "P(X >= 0) is 1");
	ok(fabs(spike_tail(1, 1) - (1 - exp(-1))) < 1e-12,
	    "P(X >= 1 | 1) = 1 - 1/e");
	/* P(X >= 10 | 2) = 4.6498e-05 (R: ppois(9, 2, lower=FALSE)) */
	ok(fabs(spike_tail(10, 2) - 4.6498e-05) < 1e-8,
	    "P(X >= 10 | 2) = 4.6498e-05 (%g)", spike_tail(10, 2));
	/* P(X >= 3 | 5) = 0.875348 */
	ok(fabs(spike_tail(3, 5) - 0.875348) < 1e-6,
	    "P(X >= 3 | 5) = 0.875348 (%g)", spike_tail(3, 5));
	/* A large mean: no underflow of e^-m. */
	ok(spike_tail(1000, 1000) > 0.4 && spike_tail(1000, 1000) < 0.6,
	    "P(X >= 1000 | 1000) is about a half (%g)",
	    spike_tail(1000, 1000));
	ok(spike_tail(1200, 1000) < 1e-8, "1200 at a mean of 1000 is rare");
}

static void
test_verdicts(void)
{
	struct spike_verdict	v;
	int			r;
	double			week[SPIKE_DAYS] = { 3, 2, 4, 3, 2, 3, 4 };
	double			none[SPIKE_DAYS] = { 0, 0, 0, 0, 0, 0, 0 };
	double			big[SPIKE_DAYS] = { 990, 1010, 1000, 980,
						    1020, 1000, 1000 };

	r = spike_test(15, week, SPIKE_DAYS, &v);
	ok(r == 1,
	    "15 in an hour that had 3 a day fires (p %g)", v.p);
	ok(fabs(v.mean - 3.0) < 1e-9, "the baseline is the mean");
	r = spike_test(6, week, SPIKE_DAYS, &v);
	ok(r == 0,
	    "6 against 3 does not (p %g)", v.p);
	r = spike_test(4, none, SPIKE_DAYS, &v);
	ok(r == 0,
	    "4 in an hour that had none: under the minimum");
	r = spike_test(5, none, SPIKE_DAYS, &v);
	ok(r == 1,
	    "5 in an hour that had none (floored mean %.1f) fires",
	    v.floored);
	r = spike_test(1300, big, SPIKE_DAYS, &v);
	ok(r == 0,
	    "1300 against 1000: improbable but not 3 times (p %g)", v.p);
	r = spike_test(3100, big, SPIKE_DAYS, &v);
	ok(r == 1,
	    "3100 against 1000 fires");
	r = spike_test(9, NULL, 0, &v);
	ok(r == 1,
	    "no baseline at all: the floor decides");
}

/*
 * Weeks of traffic: 7 days of baseline, then each hour of the 8th day
 * tested against the same hour of the 7 before. On normal traffic every
 * spike is a false alarm; the same day with a burst in one hour must
 * fire in that hour.
 */
static void
test_weeks(double volume, int n_weeks, double bound)
{
	unsigned long	hist[SPIKE_DAYS][24], obs;
	double		base[SPIKE_DAYS];
	struct spike_verdict v;
	long		alarms = 0, tested = 0, caught = 0;
	int		w, d, h;

	for (w = 0; w < n_weeks; w++) {
		for (d = 0; d < SPIKE_DAYS; d++)
			for (h = 0; h < 24; h++)
				hist[d][h] = rng_poisson(shape(h, volume));
		for (h = 0; h < 24; h++) {
			for (d = 0; d < SPIKE_DAYS; d++)
				base[d] = (double)hist[d][h];
			obs = rng_poisson(shape(h, volume));
			tested++;
			if (spike_test(obs, base, SPIKE_DAYS, &v))
				alarms++;
		}
		/* A burst at 11:00: four times the hour's volume, at least
		 * 10 more messages. */
		for (d = 0; d < SPIKE_DAYS; d++)
			base[d] = (double)hist[d][11];
		obs = rng_poisson(shape(11, volume) * 4 + 10);
		if (spike_test(obs, base, SPIKE_DAYS, &v))
			caught++;
	}
	diag("volume %.0f an hour at the peak: %ld false alarms in %ld "
	    "hours (rate %.5f), bursts caught %ld of %d", volume * 1.6,
	    alarms, tested, (double)alarms / (double)tested, caught, n_weeks);
	ok((double)alarms / (double)tested < bound,
	    "volume %.0f: false-alarm rate %.5f under %.4f", volume,
	    (double)alarms / (double)tested, bound);
	ok(caught >= n_weeks * 95 / 100,
	    "volume %.0f: a 4x burst caught in %ld of %d weeks", volume,
	    caught, n_weeks);
}

static void
test_token(void)
{
	struct spike	s = { SPIKE_TERM, NULL, 12, 2.857, 1796000400 }, t;
	char		*tok, *text;

	s.name = xstrdup("mon colis, svp \xc3\xa9t\xc3\xa9");
	tok = spike_token(&s);
	ok(strchr(tok, ' ') == NULL && strchr(tok + strlen("term,"), ',') !=
	    NULL, "the token has no space: %s", tok);
	ok(spike_token_parse(tok, &t) == 0, "the token parses back");
	is_str(t.name, s.name, "the name comes back");
	ok(t.count == 12 && fabs(t.baseline - 2.86) < 1e-9 &&
	    t.at == 1796000400 && t.kind == SPIKE_TERM, "the numbers too");
	text = spike_text(&t);
	ok(strncmp(text, "spike: 'mon colis, svp ", 23) == 0,
	    "the status line's text: %s", text);
	ok(strstr(text, "x4 in the last hour") != NULL,
	    "says how many times");
	free(text);
	spike_clear(&t);
	free(tok);
	ok(spike_token_parse("term,12,2.0,17,", &t) == -1, "no name: refused");
	ok(spike_token_parse("word,12,2.0,17,a", &t) == -1, "a bad kind");
	ok(spike_token_parse("term,x,2.0,17,a", &t) == -1, "a bad count");
	ok(spike_token_parse("term,1,2.0,17,a%0", &t) == -1, "a cut escape");
	ok(spike_token_parse("term,1,2.0,17,a%00b", &t) == -1, "a NUL");
	ok(spike_token_parse("channel,5,0.50,17,sms", &t) == 0 &&
	    t.kind == SPIKE_CHANNEL, "a channel's");
	spike_clear(&t);
	free(s.name);
}

static void
test_sparkline(void)
{
	unsigned long	v[] = { 0, 1, 2, 4, 8 }, z[] = { 0, 0 };
	char		*s;

	s = spike_sparkline(v, nitems(v), 0);
	is_str(s, "_.-=#", "ASCII bars, zero lowest, max highest");
	free(s);
	s = spike_sparkline(v, nitems(v), 1);
	is_str(s, "\xe2\x96\x81\xe2\x96\x82\xe2\x96\x83\xe2\x96\x85"
	    "\xe2\x96\x88", "UTF-8 bars");
	free(s);
	s = spike_sparkline(z, nitems(z), 0);
	is_str(s, "__", "nothing: the lowest bars");
	free(s);
}

int
main(void)
{
	test_tail();
	test_verdicts();
	test_weeks(2, 2000, 0.001);
	test_weeks(20, 2000, 0.001);
	test_weeks(200, 1000, 0.001);
	test_token();
	test_sparkline();
	done_testing();
	return exit_status();
}
