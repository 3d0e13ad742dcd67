/* --console-socket: the runtime connects to this unix socket and sends the
 * pty master over SCM_RIGHTS, which is what Node itself cannot receive. */
#include "shim.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* The runtime connects here once to hand over the pty master. */
int console_listen(const char *path) { return unix_listen(path, 4); }

static int receive_fd(int conn) {
  char name[256];
  struct iovec iov = {.iov_base = name, .iov_len = sizeof name};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } ctl;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
                       .msg_controllen = sizeof ctl.buf};
  struct pollfd pfd = {.fd = conn, .events = POLLIN};
  if (poll(&pfd, 1, 5000) <= 0) return -1;
  if (recvmsg(conn, &msg, MSG_CMSG_CLOEXEC) < 0) return -1;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      int fd;
      memcpy(&fd, CMSG_DATA(c), sizeof fd);
      return fd;
    }
  }
  return -1;
}

/* Waits for the runtime to exit while accepting its console connection.
 * Returns the pty master fd (or -1) and stores the runtime's wait status. */
int console_wait(int listen_fd, pid_t runtime_pid, int *status) {
  int master = -1, done = 0;
  while (!done) {
    struct pollfd pfd = {.fd = listen_fd, .events = POLLIN};
    poll(&pfd, 1, 20);
    pid_t r = waitpid(runtime_pid, status, WNOHANG);
    if (r == runtime_pid || (r < 0 && errno != EINTR)) done = 1;
    int conn;
    while (master < 0 && (conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
      master = receive_fd(conn);
      close(conn);
    }
  }
  return master;
}
