/* Running the OCI runtime (crun or runc). Every call gets the shim's global
 * options, including --log <state>/runtime.log --log-format json, so runtime
 * errors land in that file and not in the container's stderr. */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Forks and execs the runtime with fds in/out/err as its stdio. The child gets
 * default signal handling back (ignored signals would be inherited by the
 * container otherwise) and no other descriptors. */
pid_t runtime_spawn(const char *const *args, int in, int out, int err) {
  const char *argv[32];
  int n = 0;
  argv[n++] = OPTS.runtime;
  argv[n++] = "--root";
  argv[n++] = OPTS.runtime_root;
  argv[n++] = "--log";
  argv[n++] = PATHS.runtime_log;
  argv[n++] = "--log-format";
  argv[n++] = "json";
  for (; *args && n < 31; args++) argv[n++] = *args;
  argv[n] = NULL;

  pid_t pid = fork();
  if (pid != 0) return pid;

  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGPIPE, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
  /* dup high first so that in/out/err that are themselves 0..2 survive. */
  int fds[3] = {fcntl(in, F_DUPFD, 100), fcntl(out, F_DUPFD, 100), fcntl(err, F_DUPFD, 100)};
  for (int i = 0; i < 3; i++) dup2(fds[i], i);
#ifdef SYS_close_range
  if (syscall(SYS_close_range, 3, ~0U, 0) < 0)
#endif
    for (int fd = 3; fd < 65536; fd++) close(fd);
  execv(OPTS.runtime, (char *const *)argv);
  dprintf(2, "exec %s: %s\n", OPTS.runtime, strerror(errno));
  _exit(127);
}

int runtime_wait(pid_t pid) {
  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return status;
}

off_t runtime_log_size(void) {
  struct stat st;
  return stat(PATHS.runtime_log, &st) == 0 ? st.st_size : 0;
}

/* The "msg" of the last JSON line the runtime logged after offset `from`. */
char *runtime_log_error(off_t from) {
  size_t len;
  char *all = read_file(PATHS.runtime_log, 1 << 22, &len);
  if (!all) return NULL;
  char *result = NULL;
  char *p = all + ((size_t)from <= len ? (size_t)from : len);
  for (char *line = strtok(p, "\n"); line; line = strtok(NULL, "\n")) {
    char *msg = json_string(json_member(line, "msg"));
    if (msg && *msg) {
      free(result);
      result = msg;
    } else {
      free(msg);
    }
  }
  free(all);
  return result;
}

static char *trimmed(char *s) {
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r')) s[--n] = 0;
  return s;
}

/* Runs the runtime to completion with stdout/stderr captured in
 * <state>/runtime.out. Returns 0 on success; otherwise sets *err_msg to the
 * runtime's own message (log, then captured text, then the exit status). */
int runtime_run(const char *const *args, char **err_msg) {
  off_t from = runtime_log_size();
  int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  int out = open(PATHS.runtime_out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (in < 0 || out < 0) {
    if (err_msg) *err_msg = xstrdup("cannot open runtime stdio");
    if (in >= 0) close(in);
    if (out >= 0) close(out);
    return -1;
  }
  pid_t pid = runtime_spawn(args, in, out, out);
  close(in);
  close(out);
  int status = pid < 0 ? -1 : runtime_wait(pid);
  if (status == 0) return 0;
  if (err_msg) {
    char *msg = runtime_log_error(from);
    if (!msg) {
      msg = read_file(PATHS.runtime_out, 8192, NULL);
      if (msg && !*trimmed(msg)) {
        free(msg);
        msg = NULL;
      }
    }
    if (!msg) {
      char buf[128];
      snprintf(buf, sizeof buf, "%s %s failed (status %d)", OPTS.runtime, args[0], status);
      msg = xstrdup(buf);
    }
    *err_msg = msg;
  }
  return -1;
}
