/* wharf-fsview: a container's filesystem as the container sees it (rootfs
 * plus its volumes and binds), assembled in a private mount namespace that
 * dies with this process, so nothing is ever mounted on the host and a
 * crashed daemon leaves no mount behind.
 *
 *   wharf-fsview --target DIR (--overlay OPTS | --bind DIR) [--ro]
 *                [--mount SRC DEST rw|ro dir|file]...
 *
 * The root is mounted on DIR (an empty directory; any number of helpers can
 * share it, each in its own namespace), nodev and nosuid, read-only with
 * --ro (each mount has its own rw|ro). Each mount
 * destination is resolved inside the root with openat2(RESOLVE_IN_ROOT), so
 * a symlink planted by the container cannot move a volume onto a host path;
 * missing destinations are created the way the runtime would. Once ready,
 * the helper's working directory is the view's root: the daemon opens
 * /proc/<pid>/cwd and resolves paths from there. It prints "ready" and
 * waits until its stdin closes (or the daemon dies), then exits. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef RESOLVE_IN_ROOT
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_IN_ROOT 0x10
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

struct how {
  uint64_t flags, mode, resolve;
};
struct mount_attr_args {
  uint64_t attr_set, attr_clr, propagation, userns_fd;
};

static void die(const char *what, const char *arg) {
  fprintf(stderr, "%s %s: %s\n", what, arg ? arg : "", strerror(errno));
  exit(1);
}

static int in_root(int root, const char *path, int flags) {
  struct how h = {.flags = (uint64_t)(flags | O_CLOEXEC), .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
  for (int i = 0; i < 256; i++) {
    long fd = syscall(SYS_openat2, root, path, &h, sizeof h);
    if (fd >= 0) return (int)fd;
    if (errno != EAGAIN && errno != EINTR) break;
  }
  return -1;
}

#define MAX_PARTS 512

/* DEST resolved inside the root as a list of names with no symlink left in
 * it (absolute links restart at the root, ".." never climbs above it);
 * names that do not exist yet are kept literally. Returns the count, or -1. */
static int secure_join(int root, const char *dest, char **out) {
  char *queue[MAX_PARTS * 2];
  int nq = 0, n = 0, links = 0, head = 0;
  char *copy = strdup(dest);
  if (!copy) return -1;
  for (char *save, *t = strtok_r(copy, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
    if (nq >= MAX_PARTS) goto toolong;
    queue[nq++] = strdup(t);
  }
  free(copy);
  while (head < nq) {
    char *c = queue[head++];
    if (!strcmp(c, ".") || !c[0]) {
      free(c);
      continue;
    }
    if (!strcmp(c, "..")) {
      free(c);
      if (n > 0) free(out[--n]);
      continue;
    }
    char path[4096] = "/";
    for (int i = 0; i < n; i++) {
      strncat(path, out[i], sizeof path - strlen(path) - 2);
      strcat(path, "/");
    }
    strncat(path, c, sizeof path - strlen(path) - 1);
    int fd = in_root(root, path, O_PATH | O_NOFOLLOW);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISLNK(st.st_mode)) {
      char target[4096];
      ssize_t len = readlinkat(fd, "", target, sizeof target - 1);
      close(fd);
      free(c);
      if (len < 0 || ++links > 255) goto fail;
      target[len] = '\0';
      if (target[0] == '/')
        while (n > 0) free(out[--n]);
      /* The link's names go in front of what is left to resolve. */
      char *parts[MAX_PARTS];
      int np = 0;
      for (char *save, *t = strtok_r(target, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (np >= MAX_PARTS) goto fail;
        parts[np++] = strdup(t);
      }
      int rest = nq - head;
      if (np + rest > MAX_PARTS * 2) goto fail;
      memmove(queue, queue + head, (size_t)rest * sizeof *queue);
      memmove(queue + np, queue, (size_t)rest * sizeof *queue);
      memcpy(queue, parts, (size_t)np * sizeof *queue);
      nq = np + rest;
      head = 0;
      continue;
    }
    if (fd >= 0) close(fd);
    if (n >= MAX_PARTS) goto fail;
    out[n++] = c;
  }
  return n;
toolong:
  free(copy);
fail:
  while (head < nq) free(queue[head++]);
  while (n > 0) free(out[--n]);
  errno = ELOOP;
  return -1;
}

/* Resolve DEST inside the root, creating what is missing (directories 0755;
 * the last one a directory or an empty file), and return an O_PATH fd. The
 * walk opens one name at a time with O_NOFOLLOW: a link swapped in meanwhile
 * makes it fail instead of being followed. */
static int make_dest(int root, const char *dest, int is_dir) {
  char *parts[MAX_PARTS];
  int n = secure_join(root, dest, parts);
  if (n < 0) return -1;
  int cur = dup(root), err = 0;
  for (int i = 0; i < n && cur >= 0; i++) {
    int last = i == n - 1;
    int next = openat(cur, parts[i], O_PATH | O_NOFOLLOW | O_CLOEXEC | ((!last || is_dir) ? O_DIRECTORY : 0));
    if (next < 0 && errno == ENOENT) {
      if (!last || is_dir) {
        if (mkdirat(cur, parts[i], 0755) < 0 && errno != EEXIST) err = errno;
      } else {
        int f = openat(cur, parts[i], O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (f < 0) err = errno;
        else close(f);
      }
      if (!err) next = openat(cur, parts[i], O_PATH | O_NOFOLLOW | O_CLOEXEC | ((!last || is_dir) ? O_DIRECTORY : 0));
    }
    if (next < 0 && !err) err = errno;
    close(cur);
    cur = err ? -1 : next;
  }
  for (int i = 0; i < n; i++) free(parts[i]);
  if (cur < 0) errno = err;
  return cur;
}

static void set_attrs(int fd, int readonly, const char *what) {
  struct mount_attr_args a = {.attr_set = MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID | (readonly ? MOUNT_ATTR_RDONLY : 0)};
  if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof a) == 0) return;
  /* Kernels before 5.12: a remount of the top mount only. */
  char p[64];
  snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
  unsigned long fl = MS_BIND | MS_REMOUNT | MS_NODEV | MS_NOSUID | (readonly ? MS_RDONLY : 0);
  if (mount(NULL, p, NULL, fl, NULL) < 0) die("cannot set mount flags on", what);
}

int main(int argc, char **argv) {
  const char *target = NULL, *overlay = NULL, *bind = NULL;
  int readonly = 0;
  pid_t parent = getppid();
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent) return 1;

  int first_mount = argc;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--target") && i + 1 < argc) target = argv[++i];
    else if (!strcmp(argv[i], "--overlay") && i + 1 < argc) overlay = argv[++i];
    else if (!strcmp(argv[i], "--bind") && i + 1 < argc) bind = argv[++i];
    else if (!strcmp(argv[i], "--ro")) readonly = 1;
    else if (!strcmp(argv[i], "--mount")) {
      first_mount = i;
      break;
    } else {
      fprintf(stderr, "usage: wharf-fsview --target DIR (--overlay OPTS | --bind DIR) [--ro] [--mount SRC DEST rw|ro dir|file]...\n");
      return 2;
    }
  }
  if (!target || (!overlay == !bind)) {
    fprintf(stderr, "wharf-fsview: --target and one of --overlay or --bind are required\n");
    return 2;
  }

  if (unshare(CLONE_NEWNS) < 0) die("unshare", "mount namespace");
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) die("make-rprivate", "/");
  if (overlay) {
    unsigned long fl = MS_NODEV | MS_NOSUID | (readonly ? MS_RDONLY : 0);
    if (mount("overlay", target, "overlay", fl, overlay) < 0) die("mount overlay on", target);
  } else {
    if (mount(bind, target, NULL, MS_BIND, NULL) < 0) die("bind", bind);
  }
  int root = open(target, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) die("open", target);
  if (bind) set_attrs(root, readonly, target);

  for (int i = first_mount; i < argc; i += 5) {
    if (i + 4 >= argc || strcmp(argv[i], "--mount") != 0) {
      fprintf(stderr, "wharf-fsview: --mount takes SRC DEST rw|ro dir|file\n");
      return 2;
    }
    const char *src = argv[i + 1], *dest = argv[i + 2];
    int ro = !strcmp(argv[i + 3], "ro"), is_dir = !strcmp(argv[i + 4], "dir");
    int at = make_dest(root, dest, is_dir);
    if (at < 0) die("cannot create mount point", dest);
    char p[64];
    snprintf(p, sizeof p, "/proc/self/fd/%d", at);
    if (mount(src, p, NULL, MS_BIND | MS_REC, NULL) < 0) die("bind mount", dest);
    close(at);
    int mnt = in_root(root, dest, O_PATH); /* now the new mount's root */
    if (mnt < 0) die("open", dest);
    set_attrs(mnt, ro, dest);
    close(mnt);
  }

  if (fchdir(root) < 0) die("chdir", target);
  close(root);
  if (write(1, "ready\n", 6) != 6) return 1;
  char buf[64];
  while (read(0, buf, sizeof buf) > 0) {
  }
  return 0;
}
