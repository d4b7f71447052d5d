/* neph.c - NEPH, department and category checks. */
#include "booking/neph.h"

#include <string.h>

#include "booking/config.h"

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

enum bk_code
booking_neph_check(const char *s, size_t len)
{
	size_t i;

	if (s == NULL || len < BK_NEPH_MIN || len > BK_NEPH_MAX)
		return BK_PARAMETRE_INVALIDE;
	for (i = 0; i < len; i++)
		if (!is_digit(s[i]))
			return BK_PARAMETRE_INVALIDE;
	return BK_OK;
}

enum bk_code
booking_department_check(const char *s, size_t len)
{
	int n;

	if (s == NULL)
		return BK_PARAMETRE_INVALIDE;
	if (len == 2 && s[0] == '2' && (s[1] == 'A' || s[1] == 'B'))
		return BK_OK;
	if (len == 2 && is_digit(s[0]) && is_digit(s[1])) {
		n = (s[0] - '0') * 10 + (s[1] - '0');
		return (n >= 1 && n <= 95 && n != 20) ? BK_OK
						      : BK_PARAMETRE_INVALIDE;
	}
	if (len == 3 && s[0] == '9' && s[1] == '7' && s[2] >= '1' &&
	    s[2] <= '6')
		return BK_OK;
	return BK_PARAMETRE_INVALIDE;
}

enum bk_code
booking_category_check(const char *s, size_t len)
{
	static const char *const cats[] = { "AM", "A1", "A2", "A", "B1", "B",
		"BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE" };
	size_t i;

	if (s == NULL)
		return BK_PARAMETRE_INVALIDE;
	for (i = 0; i < sizeof(cats) / sizeof(cats[0]); i++)
		if (strlen(cats[i]) == len && memcmp(cats[i], s, len) == 0)
			return BK_OK;
	return BK_PARAMETRE_INVALIDE;
}
