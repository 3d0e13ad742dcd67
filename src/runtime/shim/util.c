/* Small helpers: diagnostics, time stamps, whole-file and atomic writes. */
#include "shim.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Diagnostics go to fd 2, which main() points at <state-dir>/shim.log. */
void logmsg(const char *fmt, ...) {
  char ts[48], buf[1024];
  va_list ap;
  format_now(ts);
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  dprintf(2, "%s wharf-shim[%d]: %s\n", ts, (int)getpid(), buf);
}

void *xrealloc(void *p, size_t n) {
  void *r = realloc(p, n ? n : 1);
  if (!r) {
    logmsg("out of memory");
    _exit(2);
  }
  return r;
}

char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  return memcpy(xrealloc(NULL, n), s, n);
}

char *path_join(const char *dir, const char *name) {
  size_t a = strlen(dir), b = strlen(name);
  char *p = xrealloc(NULL, a + b + 2);
  memcpy(p, dir, a);
  p[a] = '/';
  memcpy(p + a + 1, name, b + 1);
  return p;
}

/* RFC 3339 in UTC with a fixed nine-digit fraction, as Docker's json-file. */
void format_time(char out[48], const struct timespec *ts) {
  struct tm tm;
  char base[32];
  gmtime_r(&ts->tv_sec, &tm);
  strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out, 48, "%s.%09ldZ", base, (long)ts->tv_nsec);
}

void format_now(char out[48]) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  format_time(out, &ts);
}

int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t w = write(fd, p, len);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    len -= (size_t)w;
  }
  return 0;
}

/* temp file + fsync + rename + fsync(dir): readers see old or new, never half. */
int write_file_atomic(const char *path, const char *data, size_t len) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp%d", path, (int)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
    close(fd);
    unlink(tmp);
    return -1;
  }
  close(fd);
  if (rename(tmp, path) < 0) {
    unlink(tmp);
    return -1;
  }
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash) {
    *(slash == dir ? slash + 1 : slash) = 0;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      fsync(dfd);
      close(dfd);
    }
  }
  return 0;
}

/* Reads a whole (small) file, NUL-terminated; NULL if missing or too big. */
char *read_file(const char *path, size_t max, size_t *len_out) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  size_t cap = 4096, len = 0;
  char *buf = xrealloc(NULL, cap);
  for (;;) {
    if (len + 1 >= cap) {
      if (cap >= max) break;
      cap *= 2;
      buf = xrealloc(buf, cap);
    }
    ssize_t r = read(fd, buf + len, cap - len - 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    len += (size_t)r;
  }
  close(fd);
  buf[len] = 0;
  if (len_out) *len_out = len;
  return buf;
}

void set_nonblock(int fd) {
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0) fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

void set_cloexec(int fd) {
  int fl = fcntl(fd, F_GETFD);
  if (fl >= 0) fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
}

/* A non-blocking, close-on-exec unix stream socket listening at path (replacing a stale one). */
int unix_listen(const char *path, int backlog) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof addr.sun_path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  strcpy(addr.sun_path, path);
  unlink(path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, backlog) < 0) {
    close(fd);
    return -1;
  }
  return fd;
}
