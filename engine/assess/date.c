/* Calendar dates as days since 1970-01-01 (proleptic Gregorian), so that
 * progress can fit slopes per week without time zones getting in the way. */
#include "penscope.h"
#include "core/status.h"
#include <stdio.h>
#include <string.h>

/* Days from civil date (Howard Hinnant's well-known algorithm, restated). */
static int32_t days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int32_t)doe - 719468;
}

static void civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dm[m - 1];
}

ps_status ps_date_parse(const char *s, int32_t *day)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return ps_fail(PS_ERR_INVALID_ARG, "date '%s' is not YYYY-MM-DD", s ? s : "");
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return ps_fail(PS_ERR_INVALID_ARG, "date '%s' is not YYYY-MM-DD", s);
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return ps_fail(PS_ERR_INVALID_ARG, "'%s' is not a calendar date", s);
    *day = days_from_civil(y, (unsigned)m, (unsigned)d);
    return PS_OK;
}

void ps_date_format(int32_t day, char *buf)
{
    int y;
    unsigned m, d;
    civil_from_days(day, &y, &m, &d);
    if (y < 0 || y > 9999) {
        snprintf(buf, 11, "0000-00-00");
        return;
    }
    const int v[8] = {y / 1000, y / 100 % 10, y / 10 % 10, y % 10, (int)m / 10, (int)m % 10, (int)d / 10, (int)d % 10};
    static const int at[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    buf[4] = buf[7] = '-';
    for (int i = 0; i < 8; i++)
        buf[at[i]] = (char)('0' + v[i]);
    buf[10] = 0;
}
