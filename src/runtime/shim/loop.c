/* The shim's event loop: keep the container's output drained (into the log
 * and to subscribed clients), feed its stdin, serve client requests, and reap
 * the container. Returns once the container has exited and its output is
 * drained (or a grace period for inherited pipes has passed). */
#include "shim.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define STDIN_LIMIT (1u << 20) /* stop reading clients while this much stdin is queued */
#define DRAIN_MS 1000
#define MAX_POLL 1024

struct shim_state ST = {.out_fd = {-1, -1}, .in_fd = -1, .listen_fd = -1, .sig_fd = -1};

static unsigned char iobuf[32768];
static int start_seen; /* see CLAIM_MS */
static int64_t early_deadline; /* until when an exec's early output waits for its subscriber */
static unsigned char *stdin_q;
static size_t stdin_len, stdin_cap;
static int stdin_close_pending;

/* An exec process runs as soon as the runtime starts it, before anyone can
 * subscribe; its early output is kept (bounded) for the first subscriber. */
#define BACKLOG_LIMIT (1u << 20)
static unsigned char *backlog;
static size_t backlog_len;
static int backlog_done;

static void backlog_add(int type, const unsigned char *p, size_t len) {
  if (!OPTS.exec_process || backlog_done || backlog_len + len + 8 > BACKLOG_LIMIT) return;
  backlog = xrealloc(backlog, backlog_len + len + 8);
  unsigned char *h = backlog + backlog_len;
  h[0] = (unsigned char)type;
  h[1] = h[2] = h[3] = 0;
  h[4] = (unsigned char)(len >> 24), h[5] = (unsigned char)(len >> 16);
  h[6] = (unsigned char)(len >> 8), h[7] = (unsigned char)len;
  memcpy(h + 8, p, len);
  backlog_len += len + 8;
}

static void backlog_replay(void *client) {
  for (size_t off = 0; off + 8 <= backlog_len;) {
    const unsigned char *h = backlog + off;
    size_t len = (size_t)h[4] << 24 | (size_t)h[5] << 16 | (size_t)h[6] << 8 | h[7];
    clients_send_one(client, h[0], h + 8, len);
    off += 8 + len;
  }
  free(backlog);
  backlog = NULL;
  backlog_len = 0;
  backlog_done = 1;
}

static void close_stdin_now(void) {
  if (ST.in_fd >= 0) close(ST.in_fd);
  ST.in_fd = -1;
  free(stdin_q);
  stdin_q = NULL;
  stdin_len = stdin_cap = 0;
}

static void flush_stdin(void) {
  while (ST.in_fd >= 0 && stdin_len > 0) {
    ssize_t w = write(ST.in_fd, stdin_q, stdin_len);
    if (w < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      close_stdin_now(); /* EPIPE: the container closed its stdin */
      return;
    }
    memmove(stdin_q, stdin_q + w, stdin_len - (size_t)w);
    stdin_len -= (size_t)w;
  }
  if (stdin_close_pending && stdin_len == 0) close_stdin_now();
}

static void queue_stdin(const unsigned char *p, size_t len) {
  if (ST.in_fd < 0 || stdin_close_pending) return;
  if (stdin_len + len > stdin_cap) {
    stdin_cap = stdin_len + len + 4096;
    stdin_q = xrealloc(stdin_q, stdin_cap);
  }
  memcpy(stdin_q + stdin_len, p, len);
  stdin_len += len;
  flush_stdin();
}

static void reply(void *client, const char *error) {
  if (!error) {
    clients_send_one(client, FRAME_REPLY, "{\"ok\":true}", 11);
    return;
  }
  size_t n = strlen(error);
  if (n > 4096) n = 4096;
  char *buf = xrealloc(NULL, n * 6 + 32);
  size_t len = (size_t)sprintf(buf, "{\"ok\":false,\"error\":\"");
  len += json_escape((const unsigned char *)error, n, buf + len);
  memcpy(buf + len, "\"}", 2);
  clients_send_one(client, FRAME_REPLY, buf, len + 2);
  free(buf);
}

static void resize(const unsigned char *p, size_t len) {
  char json[256];
  if (len >= sizeof json || !OPTS.tty || ST.out_fd[0] < 0) return;
  memcpy(json, p, len);
  json[len] = 0;
  struct winsize ws = {.ws_row = (unsigned short)json_long(json_member(json, "h"), 0),
                       .ws_col = (unsigned short)json_long(json_member(json, "w"), 0)};
  if (ws.ws_row && ws.ws_col && ioctl(ST.out_fd[0], TIOCSWINSZ, &ws) < 0) logmsg("resize: %m");
}

void handle_frame(void *client, int type, const unsigned char *p, size_t len) {
  switch (type) {
    case FRAME_STDIN:
      queue_stdin(p, len);
      break;
    case FRAME_CLOSE_STDIN:
      if (OPTS.tty) {
        queue_stdin((const unsigned char *)"\x04", 1); /* a pty has no EOF: send VEOF */
      } else {
        stdin_close_pending = 1;
        flush_stdin();
      }
      break;
    case FRAME_SUBSCRIBE:
      if (!backlog_done) backlog_replay(client);
      break;
    case FRAME_RESIZE:
      resize(p, len);
      break;
    case FRAME_LOG_ACK: { /* the daemon delivered the spool up to this record */
      uint64_t seq = 0;
      for (size_t i = 0; i < len && i < 8; i++) seq = seq << 8 | p[i];
      logfile_ack(seq);
      break;
    }
    case FRAME_START: {
      start_seen = 1;
      if (OPTS.exec_process || ST.exited) { /* exec runs at once; nothing to start */
        reply(client, OPTS.exec_process ? NULL : "container has already exited");
        break;
      }
      const char *args[] = {"start", OPTS.id, NULL};
      char *err = NULL;
      runtime_run(args, &err);
      reply(client, err);
      free(err);
      break;
    }
    default:
      break; /* unknown frames are ignored so old shims survive newer daemons */
  }
}

static void reap(void) {
  struct signalfd_siginfo si;
  while (read(ST.sig_fd, &si, sizeof si) > 0) {
  }
  int status;
  pid_t r;
  while ((r = waitpid(-1, &status, WNOHANG)) > 0) {
    if (logfile_reaped(r)) continue;
    if (r == ST.pid && !ST.exited) {
      ST.exited = 1;
      ST.wait_status = status;
      clock_gettime(CLOCK_REALTIME, &ST.finished);
    }
  }
}

static void read_output(int stream) {
  ssize_t r = read(ST.out_fd[stream], iobuf, sizeof iobuf);
  if (r > 0) {
    int type = stream == STREAM_STDOUT ? FRAME_STDOUT : FRAME_STDERR;
    logfile_feed(stream, iobuf, (size_t)r);
    backlog_add(type, iobuf, (size_t)r);
    clients_broadcast(type, iobuf, (size_t)r, 1);
    return;
  }
  if (r < 0 && (errno == EAGAIN || errno == EINTR)) return;
  /* EOF, or EIO from a pty master once the container side is gone */
  close(ST.out_fd[stream]);
  ST.out_fd[stream] = -1;
  logfile_flush(stream);
}

/* An exec's output has no log file: after it exits, wait (bounded) for the
 * daemon's start frame so that a fast process's output is not lost. */
#define CLAIM_MS 5000
/* How long after exit a slow subscriber may keep the drain going. */
#define BACKLOG_MS 60000

static int64_t backlog_limit(int64_t now) {
  static int64_t limit;
  if (limit == 0) limit = now + BACKLOG_MS;
  return limit;
}

void run_loop(void) {
  static struct pollfd pfd[5 + MAX_POLL];
  int64_t drain_deadline = 0, claim_deadline = 0;
  if (!OPTS.exec_process) start_seen = 1;
  early_deadline = now_ms() + CLAIM_MS;
  reap(); /* the process may have exited before the loop started */
  for (;;) {
    int timeout = -1;
    if (ST.exited) {
      int64_t now = now_ms();
      if (drain_deadline == 0) drain_deadline = now + DRAIN_MS, claim_deadline = now + CLAIM_MS;
      int outputs_open = ST.out_fd[0] >= 0 || ST.out_fd[1] >= 0;
      /* A subscriber still catching up is not a stuck pipe: keep draining (bounded). */
      if (outputs_open && clients_backlogged() && drain_deadline < now + DRAIN_MS && now < backlog_limit(now)) drain_deadline = now + DRAIN_MS;
      int drained = !outputs_open || now >= drain_deadline;
      int claimed = start_seen || now >= claim_deadline;
      if (drained && claimed) break;
      int64_t until = !drained ? drain_deadline : claim_deadline;
      if (!drained && !claimed && claim_deadline < until) until = claim_deadline;
      timeout = until > now ? (int)(until - now) : 0;
    }
    pfd[0] = (struct pollfd){.fd = ST.sig_fd, .events = POLLIN};
    pfd[1] = (struct pollfd){.fd = ST.listen_fd, .events = POLLIN};
    /* An exec whose first subscriber has not arrived yet: once the early-output buffer is
     * full, hold the process back instead of dropping its output (bounded by CLAIM_MS). */
    int early_full = OPTS.exec_process && !backlog_done && backlog_len + sizeof iobuf + 8 > BACKLOG_LIMIT &&
                     now_ms() < early_deadline;
    /* A blocking log spool the daemon has not caught up with holds output back too (not once
     * the process has exited: what is left in the pipes is written, whatever the lag). */
    int backlogged = early_full || clients_backlogged() || (!ST.exited && logfile_blocked());
    pfd[2] = (struct pollfd){.fd = backlogged ? -1 : ST.out_fd[0], .events = POLLIN};
    pfd[3] = (struct pollfd){.fd = backlogged ? -1 : ST.out_fd[1], .events = POLLIN};
    if (backlogged && timeout < 0) timeout = 1000; /* re-check even if no client event arrives */
    pfd[4] = (struct pollfd){.fd = stdin_len ? ST.in_fd : -1, .events = POLLOUT};
    int nc = clients_pollfds(pfd + 5, MAX_POLL, stdin_len < STDIN_LIMIT);
    if (poll(pfd, (nfds_t)(5 + nc), timeout) < 0) {
      if (errno == EINTR) continue;
      logmsg("poll: %m");
      break;
    }
    if (pfd[0].revents) reap();
    if (pfd[2].revents) read_output(STREAM_STDOUT);
    if (pfd[3].revents) read_output(STREAM_STDERR);
    if (pfd[4].revents) flush_stdin();
    clients_handle(pfd + 5, nc);
    if (pfd[1].revents) clients_accept(ST.listen_fd);
  }
  for (int s = 0; s < 2; s++) {
    if (ST.out_fd[s] >= 0) close(ST.out_fd[s]);
    ST.out_fd[s] = -1;
    logfile_flush(s);
  }
  close_stdin_now();
}
