/* The container's log file, written here so that no line depends on the
 * daemon being alive. Two formats, both Docker's:
 *   json   json-file: {"log":"…","stream":"stdout","attrs":{…},"time":"…"}\n
 *   local  the local driver's records: u32 BE size, protobuf LogEntry, u32 BE size
 * One record per line of output; lines longer than LINE_CAP are written in
 * LINE_CAP pieces (Docker's 16 KiB partial messages).
 *
 * Rotation (max-size, max-file) happens before a write once the file has
 * reached max-size, as dockerd does: file → file.1 → … → file.N-1, the oldest
 * deleted; with compression file.1 is gzip'd by a child process (see
 * compress.c), so the container is not held up by it.
 *
 * A remote driver's spool (--log-seq) numbers its records (protobuf field 15)
 * so the daemon's forwarder can resume exactly and count what rotation took
 * away; with --log-block N the loop stops reading the container's output
 * while more than N records are not yet acknowledged (FRAME_LOG_ACK). */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINE_CAP 16384

static int log_fd = -1;
static long long log_size;
/* Records lost to write errors since the last one that was written. */
static unsigned long long dropped;
static const char *stream_names[2] = {"stdout", "stderr"};
static unsigned char line_buf[2][LINE_CAP];
static size_t line_len[2];
static char entry[LINE_CAP * 6 + 65536];
static char *json_attrs;         /* ,"attrs":{…} or "" */
static unsigned char *pb_attrs;  /* encoded repeated LogAttr fields */
static size_t pb_attrs_len;
static uint64_t written_seq, acked_seq;
static struct timespec last_time;
static pid_t compressor;

static char *indexed(int i, const char *ext) {
  char *p = xrealloc(NULL, strlen(OPTS.log_path) + 32);
  sprintf(p, "%s.%d%s", OPTS.log_path, i, ext);
  return p;
}

/* --- protobuf helpers (just varints and length-delimited fields) --- */

static size_t put_varint(unsigned char *o, uint64_t v) {
  size_t n = 0;
  while (v >= 0x80) o[n++] = (unsigned char)(v | 0x80), v >>= 7;
  o[n++] = (unsigned char)v;
  return n;
}

static size_t put_bytes(unsigned char *o, int field, const void *p, size_t len) {
  size_t n = put_varint(o, (uint64_t)field << 3 | 2);
  n += put_varint(o + n, len);
  memcpy(o + n, p, len);
  return n + len;
}

static int get_varint(const unsigned char *p, size_t len, size_t *pos, uint64_t *v) {
  *v = 0;
  for (int shift = 0; *pos < len && shift < 64; shift += 7) {
    unsigned char b = p[(*pos)++];
    *v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) return 0;
  }
  return -1;
}

/* The seq field (15) of one encoded LogEntry, or 0. */
static uint64_t record_seq(const unsigned char *p, size_t len) {
  size_t pos = 0;
  while (pos < len) {
    uint64_t tag, v;
    if (get_varint(p, len, &pos, &tag) < 0) return 0;
    if ((tag & 7) == 0) {
      if (get_varint(p, len, &pos, &v) < 0) return 0;
      if (tag >> 3 == 15) return v;
    } else if ((tag & 7) == 2) {
      if (get_varint(p, len, &pos, &v) < 0 || v > len - pos) return 0;
      pos += v;
    } else return 0;
  }
  return 0;
}

/* The last record's seq in the current file, else what the last rotation noted. */
static uint64_t recover_seq(void) {
  unsigned char tail[4];
  if (log_size >= 9 && pread(log_fd, tail, 4, log_size - 4) == 4) {
    uint32_t n = (uint32_t)tail[0] << 24 | (uint32_t)tail[1] << 16 | (uint32_t)tail[2] << 8 | tail[3];
    if (n > 0 && n + 8 <= (uint64_t)log_size && n <= sizeof entry) {
      unsigned char *rec = (unsigned char *)entry;
      if (pread(log_fd, rec, n, log_size - 4 - n) == (ssize_t)n) {
        uint64_t s = record_seq(rec, n);
        if (s) return s;
      }
    }
  }
  char *seq_path = xrealloc(NULL, strlen(OPTS.log_path) + 8);
  sprintf(seq_path, "%s.seq", OPTS.log_path);
  char *text = read_file(seq_path, 64, NULL);
  free(seq_path);
  uint64_t s = text ? strtoull(text, NULL, 10) : 0;
  free(text);
  return s;
}

static void build_attrs(void) {
  size_t jcap = 16, jlen = 0, pcap = 0;
  for (int i = 0; i < OPTS.log_nattrs; i++) {
    jcap += (strlen(OPTS.log_attrs[i]) + 8) * 6;
    pcap += strlen(OPTS.log_attrs[i]) + 32;
  }
  json_attrs = xrealloc(NULL, jcap);
  pb_attrs = xrealloc(NULL, pcap + 1);
  json_attrs[0] = 0;
  if (OPTS.log_nattrs == 0) return;
  jlen = (size_t)sprintf(json_attrs, ",\"attrs\":{");
  unsigned char one[4096 * 2 + 64];
  for (int i = 0; i < OPTS.log_nattrs && pb_attrs_len < 32768 && jlen < 32768; i++) {
    const char *kv = OPTS.log_attrs[i], *eq = strchr(kv, '=');
    size_t klen = eq ? (size_t)(eq - kv) : strlen(kv);
    const char *val = eq ? eq + 1 : "";
    size_t vlen = strlen(val);
    if (klen > 4096) klen = 4096;
    if (vlen > 4096) vlen = 4096;
    json_attrs[jlen++] = i ? ',' : '"';
    if (i) json_attrs[jlen++] = '"';
    jlen += json_escape((const unsigned char *)kv, klen, json_attrs + jlen);
    memcpy(json_attrs + jlen, "\":\"", 3), jlen += 3;
    jlen += json_escape((const unsigned char *)val, vlen, json_attrs + jlen);
    json_attrs[jlen++] = '"';
    size_t n = put_bytes(one, 1, kv, klen);
    n += put_bytes(one + n, 2, val, vlen);
    pb_attrs_len += put_bytes(pb_attrs + pb_attrs_len, 6, one, n);
  }
  memcpy(json_attrs + jlen, "}", 2);
}

int logfile_open(void) {
  log_fd = open(OPTS.log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (log_fd < 0) return -1;
  struct stat st;
  log_size = fstat(log_fd, &st) == 0 ? st.st_size : 0;
  build_attrs();
  if (OPTS.log_seq) written_seq = acked_seq = recover_seq();
  /* A compression cut short (the monitor was killed) left file.1 behind: finish it. */
  char *one = indexed(1, "");
  if (OPTS.log_compress && OPTS.log_max_file >= 2 && access(one, F_OK) == 0) compressor = compress_start(one);
  free(one);
  return 0;
}

static void wait_compressor(void) {
  if (compressor <= 0) return;
  int status;
  while (waitpid(compressor, &status, 0) < 0 && errno == EINTR) {
  }
  compressor = 0;
}

int logfile_reaped(pid_t pid) {
  if (pid != compressor || pid <= 0) return 0;
  compressor = 0;
  return 1;
}

static void rotate(void) {
  wait_compressor(); /* like dockerd: one compression at a time */
  const char *ext = OPTS.log_compress ? ".gz" : "";
  if (OPTS.log_max_file >= 2) {
    char *oldest = indexed(OPTS.log_max_file - 1, ext);
    unlink(oldest);
    free(oldest);
    for (int i = OPTS.log_max_file - 1; i > 1; i--) {
      char *to = indexed(i, ext), *from = indexed(i - 1, ext);
      rename(from, to);
      free(to), free(from);
    }
    char *one = indexed(1, "");
    if (rename(OPTS.log_path, one) < 0 && errno != ENOENT) logmsg("rotating %s: %m", OPTS.log_path);
    if (OPTS.log_compress) compressor = compress_start(one);
    free(one);
  }
  if (OPTS.log_seq) { /* the next record's predecessor, for a monitor restarted on an empty file */
    char seq_path[4096], text[32];
    snprintf(seq_path, sizeof seq_path, "%s.seq", OPTS.log_path);
    int n = snprintf(text, sizeof text, "%llu", (unsigned long long)written_seq);
    if (write_file_atomic(seq_path, text, (size_t)n) < 0) logmsg("writing %s: %m", seq_path);
  }
  int fd = open(OPTS.log_path, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) {
    logmsg("reopening %s after rotation: %m", OPTS.log_path);
    return; /* keep writing to the old descriptor rather than lose output */
  }
  close(log_fd);
  log_fd = fd;
  log_size = 0;
}

static size_t encode_json(int stream, const unsigned char *data, size_t n, const struct timespec *ts) {
  char t[48];
  format_time(t, ts);
  size_t len = 8;
  memcpy(entry, "{\"log\":\"", 8);
  len += json_escape(data, n, entry + len);
  len += (size_t)snprintf(entry + len, sizeof entry - len, "\",\"stream\":\"%s\"%s,\"time\":\"%s\"}\n",
                          stream_names[stream], json_attrs, t);
  return len;
}

static size_t encode_local(int stream, const unsigned char *data, size_t n, const struct timespec *ts, int partial) {
  unsigned char *o = (unsigned char *)entry + 4;
  size_t len = put_bytes(o, 1, stream_names[stream], 6);
  len += put_varint(o + len, 2 << 3);
  len += put_varint(o + len, (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec);
  len += put_bytes(o + len, 3, data, n);
  if (partial) o[len++] = 4 << 3, o[len++] = 1;
  memcpy(o + len, pb_attrs, pb_attrs_len), len += pb_attrs_len;
  if (OPTS.log_seq) len += put_varint(o + len, 15 << 3), len += put_varint(o + len, written_seq + 1);
  unsigned char *h = (unsigned char *)entry, *tail = o + len;
  h[0] = tail[0] = (unsigned char)(len >> 24), h[1] = tail[1] = (unsigned char)(len >> 16);
  h[2] = tail[2] = (unsigned char)(len >> 8), h[3] = tail[3] = (unsigned char)len;
  return len + 8;
}

/* One record: `data` holds its trailing '\n' unless the line is partial. */
static void emit(int stream, const unsigned char *data, size_t n) {
  if (log_fd < 0 || n == 0) return;
  if (OPTS.log_max_size > 0 && log_size >= OPTS.log_max_size) rotate();
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  size_t len;
  if (OPTS.log_format == LOG_FORMAT_LOCAL) {
    int partial = data[n - 1] != '\n';
    len = encode_local(stream, data, partial ? n : n - 1, &ts, partial);
  } else {
    len = encode_json(stream, data, n, &ts);
  }
  if (write_all(log_fd, entry, len) < 0) {
    /* A full disk: the record is dropped, the file cut back to its last whole record (a torn line
     * would corrupt the log once space returns), and the failure logged once, not once per line. */
    int err = errno;
    if (ftruncate(log_fd, log_size) == 0) lseek(log_fd, 0, SEEK_END);
    if (dropped++ == 0) {
      errno = err;
      logmsg("writing log %s: %m; dropping output until writes succeed again", OPTS.log_path);
    }
    return;
  }
  if (dropped > 0) {
    logmsg("writing log %s works again; %llu records were dropped", OPTS.log_path, dropped);
    dropped = 0;
  }
  log_size += (long long)len;
  written_seq++;
  last_time = ts;
}

/* Where to cut a full buffer so a multi-byte UTF-8 character is not split. */
static size_t utf8_cut(const unsigned char *b, size_t n) {
  for (size_t back = 1; back <= 3 && back < n; back++) {
    unsigned char c = b[n - back];
    if ((c & 0xC0) == 0x80) continue; /* continuation byte */
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

void logfile_feed(int stream, const unsigned char *data, size_t n) {
  if (log_fd < 0) return;
  unsigned char *buf = line_buf[stream];
  while (n > 0) {
    size_t room = LINE_CAP - line_len[stream];
    size_t take = n < room ? n : room;
    const unsigned char *nl = memchr(data, '\n', take);
    if (nl) take = (size_t)(nl - data) + 1;
    if (nl && line_len[stream] == 0) { /* a whole line: no copy */
      emit(stream, data, take);
      data += take, n -= take;
      continue;
    }
    memcpy(buf + line_len[stream], data, take);
    line_len[stream] += take;
    data += take;
    n -= take;
    if (nl) {
      emit(stream, buf, line_len[stream]);
      line_len[stream] = 0;
    } else if (line_len[stream] == LINE_CAP) {
      size_t cut = utf8_cut(buf, LINE_CAP);
      emit(stream, buf, cut);
      memmove(buf, buf + cut, LINE_CAP - cut);
      line_len[stream] = LINE_CAP - cut;
    }
  }
}

void logfile_flush(int stream) {
  emit(stream, line_buf[stream], line_len[stream]);
  line_len[stream] = 0;
}

void logfile_ack(uint64_t seq) {
  if (seq > acked_seq && seq <= written_seq) acked_seq = seq;
}

int logfile_blocked(void) {
  return OPTS.log_block > 0 && written_seq - acked_seq >= (uint64_t)OPTS.log_block;
}

/* On the way out: let a running compression finish (bounded by the child itself). */
void logfile_close(void) {
  wait_compressor();
  if (log_fd >= 0) close(log_fd);
  log_fd = -1;
}

const struct timespec *logfile_last_time(void) { return &last_time; }
