/* gzip of a rotated log file in a child process, like dockerd's compression
 * after rotation: file.1 → file.1.gz, with the time of the file's last entry
 * in the gzip header's extra field ({"lastTime":"…"}). The result appears
 * atomically (written to a temp name, then renamed), then file.1 is removed. */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static int gzip_file(const char *src, const char *dst, const struct timespec *last) {
  int in = open(src, O_RDONLY | O_CLOEXEC);
  if (in < 0) return errno == ENOENT ? 0 : -1;
  int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (out < 0) return close(in), -1;
  z_stream z = {0};
  /* windowBits 15 + 16: a gzip wrapper; the default level, as Go's gzip.NewWriter */
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return close(in), close(out), -1;
  char ts[48], extra[96];
  format_time(ts, last);
  int elen = snprintf(extra, sizeof extra, "{\"lastTime\":\"%s\"}", ts);
  gz_header h = {0};
  h.extra = (Bytef *)extra;
  h.extra_len = (uInt)elen;
  h.os = 255;
  deflateSetHeader(&z, &h);
  static unsigned char ibuf[1 << 16], obuf[1 << 16];
  int rc = 0, flush;
  do {
    ssize_t r = read(in, ibuf, sizeof ibuf);
    if (r < 0) { rc = -1; break; }
    flush = r == 0 ? Z_FINISH : Z_NO_FLUSH;
    z.next_in = ibuf, z.avail_in = (uInt)r;
    do {
      z.next_out = obuf, z.avail_out = sizeof obuf;
      deflate(&z, flush);
      if (write_all(out, obuf, sizeof obuf - z.avail_out) < 0) { rc = -1; break; }
    } while (z.avail_out == 0 && rc == 0);
  } while (flush != Z_FINISH && rc == 0);
  deflateEnd(&z);
  close(in);
  if (fsync(out) < 0) rc = -1;
  close(out);
  return rc;
}

pid_t compress_start(const char *path) {
  struct timespec last = *logfile_last_time();
  struct stat st;
  if (last.tv_sec == 0 && stat(path, &st) == 0) last = st.st_mtim;
  pid_t pid = fork();
  if (pid != 0) {
    if (pid < 0) logmsg("fork for log compression: %m");
    return pid < 0 ? 0 : pid;
  }
  signal(SIGTERM, SIG_DFL);
  if (access(path, F_OK) < 0) _exit(0);
  char *gz = xrealloc(NULL, strlen(path) + 16), *tmp = xrealloc(NULL, strlen(path) + 16);
  sprintf(gz, "%s.gz", path);
  sprintf(tmp, "%s.gz.tmp", path);
  if (gzip_file(path, tmp, &last) < 0 || rename(tmp, gz) < 0) {
    logmsg("compressing %s: %m", path);
    unlink(tmp);
    _exit(1);
  }
  unlink(path);
  _exit(0);
}
