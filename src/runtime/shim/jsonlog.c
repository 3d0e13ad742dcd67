/* Docker json-file log writer: one JSON object per line of output, with the
 * stream name and a nanosecond UTC time stamp. Lines longer than LINE_CAP are
 * written in LINE_CAP pieces (like Docker's 16 KiB partial messages). */
#include "shim.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LINE_CAP 16384

static int log_fd = -1;
static const char *stream_names[2] = {"stdout", "stderr"};
static unsigned char line_buf[2][LINE_CAP];
static size_t line_len[2];
static char entry[LINE_CAP * 6 + 128];

int jsonlog_open(const char *path) {
  log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  return log_fd < 0 ? -1 : 0;
}

static void emit(int stream, const unsigned char *data, size_t n) {
  if (log_fd < 0 || n == 0) return;
  char ts[48];
  format_now(ts);
  size_t len = 0;
  memcpy(entry, "{\"log\":\"", 8);
  len = 8;
  len += json_escape(data, n, entry + len);
  len += (size_t)snprintf(entry + len, sizeof entry - len, "\",\"stream\":\"%s\",\"time\":\"%s\"}\n",
                          stream_names[stream], ts);
  if (write_all(log_fd, entry, len) < 0) logmsg("writing log: %m");
}

/* Where to cut a full buffer so a multi-byte UTF-8 character is not split. */
static size_t utf8_cut(const unsigned char *b, size_t n) {
  for (size_t back = 1; back <= 3 && back < n; back++) {
    unsigned char c = b[n - back];
    if ((c & 0xC0) == 0x80) continue;               /* continuation byte */
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

void jsonlog_feed(int stream, const unsigned char *data, size_t n) {
  if (log_fd < 0) return;
  unsigned char *buf = line_buf[stream];
  while (n > 0) {
    size_t room = LINE_CAP - line_len[stream];
    size_t take = n < room ? n : room;
    const unsigned char *nl = memchr(data, '\n', take);
    if (nl) take = (size_t)(nl - data) + 1;
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

void jsonlog_flush(int stream) {
  emit(stream, line_buf[stream], line_len[stream]);
  line_len[stream] = 0;
}
