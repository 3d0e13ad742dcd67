/* Clients of shim.sock. Output is written non-blocking. A subscribed client
 * (the daemon, which forwards to attached users) gets back-pressure: while it
 * is more than OUT_SOFT behind, the loop stops reading the container's
 * output, as docker's attach slows a container down for a slow reader and
 * loses nothing. A client more than OUT_LIMIT behind (only possible for
 * non-subscribed clients) is dropped. Frames from clients are decoded here and handed to
 * handle_frame() (loop.c), except subscribe which is a client property. */
#include "shim.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#define OUT_LIMIT (4u << 20)
#define OUT_SOFT (256u << 10)

struct client {
  int fd, subscribed, dead;
  unsigned char *in, *out;
  size_t in_len, in_cap, out_len, out_cap;
};

static struct client **list;
static int count;
static char *exit_frame_payload;

int clients_listen(const char *path) { return unix_listen(path, 64); }

static void drop(struct client *c, const char *why) {
  if (c->dead) return;
  if (why) logmsg("dropping client fd %d: %s", c->fd, why);
  c->dead = 1;
}

static void flush(struct client *c) {
  while (!c->dead && c->out_len > 0) {
    ssize_t w = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      drop(c, NULL);
      return;
    }
    memmove(c->out, c->out + w, c->out_len - (size_t)w);
    c->out_len -= (size_t)w;
  }
  if (c->out_len == 0 && c->out_cap > 65536) { /* give memory back after a burst */
    free(c->out);
    c->out = NULL;
    c->out_cap = 0;
  }
}

static void enqueue(struct client *c, const void *data, size_t len) {
  if (c->out_len + len > OUT_LIMIT) {
    drop(c, "too slow, output buffer full");
    return;
  }
  if (c->out_len + len > c->out_cap) {
    c->out_cap = c->out_len + len + 4096;
    c->out = xrealloc(c->out, c->out_cap);
  }
  memcpy(c->out + c->out_len, data, len);
  c->out_len += len;
}

static void send_frame(struct client *c, int type, const void *data, size_t len) {
  if (c->dead) return;
  unsigned char hdr[FRAME_HEADER] = {(unsigned char)type, 0, 0, 0, (unsigned char)(len >> 24),
                                     (unsigned char)(len >> 16), (unsigned char)(len >> 8),
                                     (unsigned char)len};
  size_t done = 0;
  if (c->out_len == 0) { /* fast path: straight to the socket */
    struct iovec iov[2] = {{hdr, FRAME_HEADER}, {(void *)data, len}};
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2};
    ssize_t w = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w < 0 && errno != EAGAIN && errno != EINTR) {
      drop(c, NULL);
      return;
    }
    done = w > 0 ? (size_t)w : 0;
  }
  if (done < FRAME_HEADER) enqueue(c, hdr + done, FRAME_HEADER - done);
  size_t skip = done > FRAME_HEADER ? done - FRAME_HEADER : 0;
  if (skip < len) enqueue(c, (const unsigned char *)data + skip, len - skip);
}

/* Non-zero while a live subscriber has more than OUT_SOFT queued. */
int clients_backlogged(void) {
  for (int i = 0; i < count; i++)
    if (!list[i]->dead && list[i]->subscribed && list[i]->out_len > OUT_SOFT) return 1;
  return 0;
}

void clients_send_one(void *client, int type, const void *data, size_t len) {
  send_frame(client, type, data, len);
}

void clients_broadcast(int type, const void *data, size_t len, int subscribed_only) {
  for (int i = 0; i < count; i++)
    if (!subscribed_only || list[i]->subscribed) send_frame(list[i], type, data, len);
}

void clients_accept(int listen_fd) {
  int fd;
  while ((fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
    struct client *c = xrealloc(NULL, sizeof *c);
    memset(c, 0, sizeof *c);
    c->fd = fd;
    list = xrealloc(list, sizeof *list * (size_t)(count + 1));
    list[count++] = c;
    if (exit_frame_payload) send_frame(c, FRAME_EXIT, exit_frame_payload, strlen(exit_frame_payload));
  }
}

/* Removes dropped clients, then fills pfd in list order (clients_handle relies
 * on that order). want_input=0 applies back-pressure while stdin is backed up. */
int clients_pollfds(struct pollfd *pfd, int max, int want_input) {
  int j = 0;
  for (int i = 0; i < count; i++) {
    if (list[i]->dead) {
      close(list[i]->fd);
      free(list[i]->in);
      free(list[i]->out);
      free(list[i]);
    } else {
      list[j++] = list[i];
    }
  }
  count = j;
  int n = count < max ? count : max;
  for (int i = 0; i < n; i++) {
    pfd[i].fd = list[i]->fd;
    pfd[i].events = (short)((want_input ? POLLIN : 0) | (list[i]->out_len ? POLLOUT : 0));
    pfd[i].revents = 0;
  }
  return n;
}

static void read_frames(struct client *c) {
  if (c->in_cap - c->in_len < 65536) {
    c->in_cap = c->in_len + 65536;
    c->in = xrealloc(c->in, c->in_cap);
  }
  ssize_t r = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len, MSG_DONTWAIT);
  if (r < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (r <= 0) {
    drop(c, NULL);
    return;
  }
  c->in_len += (size_t)r;
  size_t off = 0;
  while (!c->dead && c->in_len - off >= FRAME_HEADER) {
    const unsigned char *h = c->in + off;
    uint32_t len = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 | (uint32_t)h[6] << 8 | h[7];
    if (len > FRAME_MAX_PAYLOAD) {
      drop(c, "frame too large");
      return;
    }
    if (c->in_len - off < FRAME_HEADER + (size_t)len) break;
    if (h[0] == FRAME_SUBSCRIBE) c->subscribed = 1;
    handle_frame(c, h[0], h + FRAME_HEADER, len);
    off += FRAME_HEADER + len;
  }
  memmove(c->in, c->in + off, c->in_len - off);
  c->in_len -= off;
  if (c->in_len == 0 && c->in_cap > 65536) {
    free(c->in);
    c->in = NULL;
    c->in_cap = 0;
  }
}

void clients_handle(struct pollfd *pfd, int n) {
  for (int i = 0; i < n && i < count; i++) {
    struct client *c = list[i];
    if (pfd[i].revents & POLLOUT) flush(c);
    if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) {
      if (pfd[i].events & POLLIN) read_frames(c);
      else if (pfd[i].revents & (POLLHUP | POLLERR)) drop(c, NULL);
    }
  }
}

/* From now on every client, current or newly connected, gets the exit frame. */
void clients_set_exit(const char *exit_json) {
  exit_frame_payload = xstrdup(exit_json);
  clients_broadcast(FRAME_EXIT, exit_json, strlen(exit_json), 0);
}

int clients_pending_output(void) {
  for (int i = 0; i < count; i++)
    if (!list[i]->dead && list[i]->out_len) return 1;
  return 0;
}

int clients_count(void) { return count; }

void clients_close_all(void) {
  for (int i = 0; i < count; i++) {
    shutdown(list[i]->fd, SHUT_RDWR);
    close(list[i]->fd);
  }
  count = 0;
}
