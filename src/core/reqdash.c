/* reqdash.c - the dashboard's numbers (reqdash.h). */
#include "core/reqdash.h"

void dash_add(struct dash_sum *a, const struct dash_sum *b)
{
    a->allocated_ore += b->allocated_ore;
    a->requested_ore += b->requested_ore;
    a->approved_ore += b->approved_ore;
    a->supplementary_ore += b->supplementary_ore;
}

int64_t dash_granted(const struct dash_sum *s)
{
    return s->approved_ore + s->supplementary_ore;
}

int64_t dash_base(const struct dash_sum *s)
{
    return s->allocated_ore + s->supplementary_ore;
}

int64_t dash_left(const struct dash_sum *s)
{
    int64_t left = s->allocated_ore - s->approved_ore;
    return left > 0 ? left : 0;
}

int dash_pct(int64_t part, int64_t whole)
{
    if (whole <= 0)
        return 0;
    if (part < 0)
        part = 0;
    if (part > whole)
        part = whole;
    /* part * 100 fits: sums of öre stay far below 2^56 */
    return (int)(part / whole * 100 + (part % whole) * 100 / whole);
}

int dash_pct_requested(const struct dash_sum *s)
{
    return dash_pct(s->requested_ore, s->allocated_ore);
}

int dash_pct_granted(const struct dash_sum *s)
{
    return dash_pct(dash_granted(s), dash_base(s));
}
