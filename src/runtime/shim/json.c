/* Just enough JSON: escaping log text, and reading a few members of trusted
 * documents (config.json root.path, runtime log "msg", resize payloads). */
#include "shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p, or 0 if the bytes are invalid. */
static size_t utf8_valid(const unsigned char *p, size_t n) {
  unsigned char c = p[0];
  size_t need;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) need = 2, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) need = 3, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) need = 4, cp = c & 0x07;
  else return 0;
  if (n < need) return 0;
  for (size_t i = 1; i < need; i++) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if ((need == 3 && cp < 0x800) || (need == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  return need;
}

size_t json_escape(const unsigned char *in, size_t len, char *out) {
  static const char hex[] = "0123456789abcdef";
  char *o = out;
  size_t i = 0;
  while (i < len) {
    unsigned char c = in[i];
    if (c >= 0x80) {
      size_t n = utf8_valid(in + i, len - i);
      if (n) {
        memcpy(o, in + i, n);
        o += n;
        i += n;
      } else {
        memcpy(o, "\\ufffd", 6);
        o += 6;
        i++;
      }
      continue;
    }
    i++;
    switch (c) {
      case '"': *o++ = '\\'; *o++ = '"'; break;
      case '\\': *o++ = '\\'; *o++ = '\\'; break;
      case '\n': *o++ = '\\'; *o++ = 'n'; break;
      case '\r': *o++ = '\\'; *o++ = 'r'; break;
      case '\t': *o++ = '\\'; *o++ = 't'; break;
      default:
        if (c < 0x20) {
          memcpy(o, "\\u00", 4);
          o[4] = hex[c >> 4];
          o[5] = hex[c & 15];
          o += 6;
        } else {
          *o++ = (char)c;
        }
    }
  }
  return (size_t)(o - out);
}

static const char *skip_ws(const char *p) {
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
  return p;
}

static const char *skip_string(const char *p) {
  for (p++; *p && *p != '"'; p++)
    if (*p == '\\' && p[1]) p++;
  return *p ? p + 1 : p;
}

/* Skips one value; returns the position after it (at NUL on malformed input). */
static const char *skip_value(const char *p) {
  p = skip_ws(p);
  if (*p == '"') return skip_string(p);
  if (*p == '{' || *p == '[') {
    int depth = 0;
    while (*p) {
      if (*p == '"') {
        p = skip_string(p);
        continue;
      }
      if (*p == '{' || *p == '[') depth++;
      if (*p == '}' || *p == ']') {
        if (--depth == 0) return p + 1;
      }
      p++;
    }
    return p;
  }
  while (*p && *p != ',' && *p != '}' && *p != ']') p++;
  return p;
}

const char *json_member(const char *obj, const char *key) {
  size_t klen = strlen(key);
  const char *p = skip_ws(obj);
  if (*p != '{') return NULL;
  p++;
  for (;;) {
    p = skip_ws(p);
    if (*p != '"') return NULL;
    const char *k = p + 1, *kend = skip_string(p);
    int match = (size_t)(kend - 1 - k) == klen && memcmp(k, key, klen) == 0;
    p = skip_ws(kend);
    if (*p != ':') return NULL;
    p = skip_ws(p + 1);
    if (match) return p;
    p = skip_ws(skip_value(p));
    if (*p != ',') return NULL;
    p++;
  }
}

static char *put_utf8(char *o, unsigned cp) {
  if (cp < 0x80) *o++ = (char)cp;
  else if (cp < 0x800) *o++ = (char)(0xC0 | cp >> 6), *o++ = (char)(0x80 | (cp & 0x3F));
  else {
    *o++ = (char)(0xE0 | cp >> 12);
    *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
    *o++ = (char)(0x80 | (cp & 0x3F));
  }
  return o;
}

char *json_string(const char *p) {
  if (!p || *p != '"') return NULL;
  const char *end = skip_string(p);
  char *out = xrealloc(NULL, (size_t)(end - p) + 1), *o = out;
  for (p++; p < end - 1; p++) {
    if (*p != '\\') {
      *o++ = *p;
      continue;
    }
    p++;
    switch (*p) {
      case 'n': *o++ = '\n'; break;
      case 't': *o++ = '\t'; break;
      case 'r': *o++ = '\r'; break;
      case 'b': *o++ = '\b'; break;
      case 'f': *o++ = '\f'; break;
      case 'u': {
        char hex[5] = {0};
        memcpy(hex, p + 1, 4);
        o = put_utf8(o, (unsigned)strtoul(hex, NULL, 16));
        p += 4;
        break;
      }
      default: *o++ = *p;
    }
  }
  *o = 0;
  return out;
}

long json_long(const char *p, long dflt) {
  if (!p) return dflt;
  char *end;
  long v = strtol(p, &end, 10);
  return end == p ? dflt : v;
}
