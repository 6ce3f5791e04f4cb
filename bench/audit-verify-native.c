/*
 * A measurement, not part of the product (docs/PERFORMANCE.md, issue 13): how fast `audit verify` could
 * be if SQLite itself wrote each entry's canonical bytes and hashed them, so no string is built by
 * json_quote and nothing crosses into JavaScript. bench/audit-verify.bench.ts compiles it when gcc and
 * OpenSSL's headers are there:
 *   gcc -O2 -fPIC -shared -I node_modules/better-sqlite3/deps/sqlite3 bench/audit-verify-native.c -o X.so -lcrypto
 *
 * entry_hash(prev_hash, action, actor, at, details, entity_id, entity_type, reason, role, seq) is the
 * hex SHA-256 of prev_hash ‖ the entry's canonical JSON (audit-chain.ts entryText: keys in order,
 * strings escaped as JSON.stringify does, details as stored), or NULL when a column has a type the
 * canonical form cannot come from (the verifier would then read that row the slow way).
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1

typedef struct {
  char *p;
  size_t n, cap;
  char local[4096];
} Buf;

static void put(Buf *b, const char *s, size_t n) {
  if (b->n + n > b->cap) {
    size_t cap = (b->n + n) * 2;
    char *q = malloc(cap);
    memcpy(q, b->p, b->n);
    if (b->p != b->local) free(b->p);
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
}

/* A JSON string as JSON.stringify writes it; `null` for NULL where allowed; 0 for any other type. */
static int json_string(Buf *b, sqlite3_value *v, int nullable) {
  int type = sqlite3_value_type(v);
  if (type == SQLITE_NULL && nullable) {
    put(b, "null", 4);
    return 1;
  }
  if (type != SQLITE_TEXT) return 0;
  const unsigned char *s = sqlite3_value_text(v);
  int n = sqlite3_value_bytes(v), start = 0;
  put(b, "\"", 1);
  for (int i = 0; i < n; i++) {
    unsigned char c = s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    put(b, (const char *)s + start, i - start);
    start = i + 1;
    char e[8];
    int k;
    switch (c) {
      case '"': k = sprintf(e, "\\\""); break;
      case '\\': k = sprintf(e, "\\\\"); break;
      case '\b': k = sprintf(e, "\\b"); break;
      case '\f': k = sprintf(e, "\\f"); break;
      case '\n': k = sprintf(e, "\\n"); break;
      case '\r': k = sprintf(e, "\\r"); break;
      case '\t': k = sprintf(e, "\\t"); break;
      default: k = sprintf(e, "\\u%04x", c);
    }
    put(b, e, k);
  }
  put(b, (const char *)s + start, n - start);
  put(b, "\"", 1);
  return 1;
}

static void entry_hash(sqlite3_context *ctx, int argc, sqlite3_value **a) {
  (void)argc;
  Buf b;
  b.p = b.local;
  b.n = 0;
  b.cap = sizeof b.local;
  int ok = sqlite3_value_type(a[0]) == SQLITE_TEXT && sqlite3_value_type(a[4]) == SQLITE_TEXT &&
           sqlite3_value_type(a[9]) == SQLITE_INTEGER;
  if (ok) {
    put(&b, (const char *)sqlite3_value_text(a[0]), sqlite3_value_bytes(a[0]));
    put(&b, "{\"action\":", 10);
    ok = json_string(&b, a[1], 0);
  }
  if (ok) put(&b, ",\"actor\":", 9), ok = json_string(&b, a[2], 0);
  if (ok) put(&b, ",\"at\":", 6), ok = json_string(&b, a[3], 0);
  if (ok) {
    put(&b, ",\"details\":", 11);
    put(&b, (const char *)sqlite3_value_text(a[4]), sqlite3_value_bytes(a[4]));
    put(&b, ",\"entityId\":", 12);
    ok = json_string(&b, a[5], 1);
  }
  if (ok) put(&b, ",\"entityType\":", 14), ok = json_string(&b, a[6], 0);
  if (ok) put(&b, ",\"reason\":", 10), ok = json_string(&b, a[7], 1);
  if (ok) put(&b, ",\"role\":", 8), ok = json_string(&b, a[8], 0);
  if (ok) {
    char e[32];
    int k = sprintf(e, ",\"seq\":%lld}", (long long)sqlite3_value_int64(a[9]));
    put(&b, e, k);
    unsigned char md[32];
    char hex[64];
    static const char digits[] = "0123456789abcdef";
    SHA256_CTX c;
    SHA256_Init(&c);
    SHA256_Update(&c, b.p, b.n);
    SHA256_Final(md, &c);
    for (int i = 0; i < 32; i++) hex[2 * i] = digits[md[i] >> 4], hex[2 * i + 1] = digits[md[i] & 15];
    sqlite3_result_text(ctx, hex, 64, SQLITE_TRANSIENT);
  } else {
    sqlite3_result_null(ctx);
  }
  if (b.p != b.local) free(b.p);
}

int sqlite3_extension_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  (void)err;
  SQLITE_EXTENSION_INIT2(api);
  return sqlite3_create_function(db, "entry_hash", 10, SQLITE_UTF8 | SQLITE_DETERMINISTIC, 0, entry_hash, 0, 0);
}
