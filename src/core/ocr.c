/* ocr.c - Luhn check digits and bankgiro OCR references. */
#include "core/ocr.h"

#include <string.h>

int ocr_luhn_digit(const char *s, size_t len)
{
    int sum = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[len - 1 - i];
        if (c < '0' || c > '9')
            return -1;
        int v = c - '0';
        if (i % 2 == 0) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return (10 - sum % 10) % 10;
}

enum err ocr_make(const char *body, char *out, size_t n)
{
    if (n)
        out[0] = '\0';
    if (!body)
        return ERR_INVALID;
    size_t k = strlen(body);
    if (k > OCR_MAX_DIGITS - 2)
        return ERR_INVALID;
    for (size_t i = 0; i < k; i++)
        if (body[i] < '0' || body[i] > '9')
            return ERR_INVALID;
    if (n < k + 3)
        return ERR_LIMIT;
    char d[OCR_SIZE];
    memcpy(d, body, k);
    d[k] = (char)('0' + (k + 2) % 10);
    d[k + 1] = (char)('0' + ocr_luhn_digit(d, k + 1));
    d[k + 2] = '\0';
    memcpy(out, d, k + 3);
    return ERR_OK;
}

enum err ocr_parse(const char *s, char *body, size_t n)
{
    char d[OCR_SIZE];
    size_t k = 0;
    if (n)
        body[0] = '\0';
    if (!s)
        return ERR_PARSE;
    for (; *s; s++) {
        if (*s == ' ')
            continue;
        if (*s < '0' || *s > '9' || k >= OCR_MAX_DIGITS)
            return ERR_PARSE;
        d[k++] = *s;
    }
    if (k < OCR_MIN_DIGITS || d[k - 2] - '0' != (int)(k % 10) ||
        ocr_luhn_digit(d, k - 1) != d[k - 1] - '0')
        return ERR_PARSE;
    if (n < k - 1)
        return ERR_LIMIT;
    memcpy(body, d, k - 2);
    body[k - 2] = '\0';
    return ERR_OK;
}
