/* wharf-shim entry point: parse options, create the container (or exec
 * process) through the runtime, report the pid on the sync pipe (fd 3), run
 * the event loop, then clean up and record the exit status. */
#include "shim.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

struct shim_opts OPTS;
struct shim_paths PATHS;
static int sync_fd = -1;
static int created; /* the runtime may hold state for OPTS.id: delete it on the way out */

static void usage(void) {
  dprintf(2, "usage: wharf-shim --id ID --bundle DIR --state-dir DIR --runtime PATH --runtime-root DIR\n"
             "  [--log-path FILE [--log-format json|local] [--log-max-size BYTES] [--log-max-file N]\n"
             "   [--log-compress] [--log-attr KEY=VALUE]... [--log-seq] [--log-block RECORDS]]\n"
             "  [--tty] [--stdin] [--exec PROCESS_JSON]\n"
             "  [--rootfs-lower a:b:c --rootfs-upper U --rootfs-work W]\n");
  exit(2);
}

static void parse_args(int argc, char **argv) {
  static const struct option longopts[] = {
      {"id", 1, 0, 'i'},           {"bundle", 1, 0, 'b'},       {"state-dir", 1, 0, 's'},
      {"runtime", 1, 0, 'r'},      {"runtime-root", 1, 0, 'R'}, {"log-path", 1, 0, 'l'},
      {"tty", 0, 0, 't'},          {"stdin", 0, 0, 'I'},        {"exec", 1, 0, 'e'},
      {"rootfs-lower", 1, 0, 'L'}, {"rootfs-upper", 1, 0, 'U'}, {"rootfs-work", 1, 0, 'W'},
      {"log-format", 1, 0, 'f'},   {"log-max-size", 1, 0, 'm'}, {"log-max-file", 1, 0, 'n'},
      {"log-compress", 0, 0, 'z'}, {"log-attr", 1, 0, 'a'},     {"log-seq", 0, 0, 'q'},
      {"log-block", 1, 0, 'k'},
      {0, 0, 0, 0}};
  OPTS.log_max_file = 1;
  OPTS.log_attrs = xrealloc(NULL, sizeof(char *) * (size_t)argc);
  int c;
  while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
    switch (c) {
      case 'i': OPTS.id = optarg; break;
      case 'b': OPTS.bundle = optarg; break;
      case 's': OPTS.state_dir = optarg; break;
      case 'r': OPTS.runtime = optarg; break;
      case 'R': OPTS.runtime_root = optarg; break;
      case 'l': OPTS.log_path = optarg; break;
      case 't': OPTS.tty = 1; break;
      case 'I': OPTS.open_stdin = 1; break;
      case 'e': OPTS.exec_process = optarg; break;
      case 'L': OPTS.rootfs_lower = optarg; break;
      case 'U': OPTS.rootfs_upper = optarg; break;
      case 'W': OPTS.rootfs_work = optarg; break;
      case 'f': OPTS.log_format = strcmp(optarg, "local") == 0 ? LOG_FORMAT_LOCAL : LOG_FORMAT_JSON; break;
      case 'm': OPTS.log_max_size = atoll(optarg); break;
      case 'n': OPTS.log_max_file = atoi(optarg) > 0 ? atoi(optarg) : 1; break;
      case 'z': OPTS.log_compress = 1; break;
      case 'a': OPTS.log_attrs[OPTS.log_nattrs++] = optarg; break;
      case 'q': OPTS.log_seq = 1; break;
      case 'k': OPTS.log_block = atol(optarg); break;
      default: usage();
    }
  }
  if (!OPTS.id || !OPTS.state_dir || !OPTS.runtime || !OPTS.runtime_root) usage();
  if (!OPTS.exec_process && !OPTS.bundle) usage();
}

static void sync_write(const char *line) {
  if (sync_fd < 0) return;
  if (write_all(sync_fd, line, strlen(line)) < 0) logmsg("sync pipe: %m");
  close(sync_fd);
  sync_fd = -1;
}

static void delete_container(void) {
  if (OPTS.exec_process || !created) return;
  const char *args[] = {"delete", "--force", OPTS.id, NULL};
  char *err = NULL;
  if (runtime_run(args, &err) < 0) logmsg("delete: %s", err);
  free(err);
  created = 0;
}

/* Creation failed: tell the spawner why, undo what was done, exit. */
static void fail(const char *msg) {
  logmsg("error: %s", msg);
  size_t n = strlen(msg);
  char *line = xrealloc(NULL, n * 6 + 16);
  size_t len = (size_t)sprintf(line, "{\"error\":\"");
  len += json_escape((const unsigned char *)msg, n, line + len);
  memcpy(line + len, "\"}\n", 4);
  delete_container();
  rootfs_unmount();
  unlink(PATHS.sock);
  unlink(PATHS.console_sock);
  sync_write(line);
  exit(1);
}

static void fail_errno(const char *what) {
  char buf[512];
  snprintf(buf, sizeof buf, "%s: %s", what, strerror(errno));
  fail(buf);
}

/* What the runtime said when create/exec failed: its log, else its output. */
static char *create_error(off_t log_from, const int *capture_fds) {
  char *msg = runtime_log_error(log_from);
  if (msg) return msg;
  char buf[4096];
  size_t len = 0;
  for (int i = 0; i < 2; i++) {
    if (capture_fds[i] < 0) continue;
    set_nonblock(capture_fds[i]);
    ssize_t r = read(capture_fds[i], buf + len, sizeof buf - 1 - len);
    if (r > 0) len += (size_t)r;
  }
  buf[len] = 0;
  if (len == 0) {
    char *out = read_file(PATHS.runtime_out, sizeof buf, &len);
    if (out && len) return out;
    free(out);
    snprintf(buf, sizeof buf, "%s failed to create the %s", OPTS.runtime,
             OPTS.exec_process ? "exec process" : "container");
  }
  while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' ')) buf[--len] = 0;
  return xstrdup(buf);
}

static void create_process(void) {
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, console = -1;
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  int child_in = devnull, child_out, child_err;
  if (OPTS.tty) {
    console = console_listen(PATHS.console_sock);
    if (console < 0) fail_errno("console socket");
    child_out = child_err = open(PATHS.runtime_out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  } else {
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) fail_errno("pipe");
    if (OPTS.open_stdin && pipe2(in, O_CLOEXEC) < 0) fail_errno("pipe");
    if (in[0] >= 0) child_in = in[0];
    child_out = out[1];
    child_err = err[1];
  }

  const char *args[16];
  int n = 0;
  if (OPTS.exec_process) {
    args[n++] = "exec", args[n++] = "--detach", args[n++] = "--process";
    args[n++] = OPTS.exec_process;
  } else {
    args[n++] = "create", args[n++] = "--bundle", args[n++] = OPTS.bundle;
  }
  args[n++] = "--pid-file", args[n++] = PATHS.pid_file;
  if (OPTS.tty) args[n++] = "--console-socket", args[n++] = PATHS.console_sock;
  args[n++] = OPTS.id;
  args[n] = NULL;

  unlink(PATHS.pid_file);
  off_t log_from = runtime_log_size();
  pid_t pid = runtime_spawn(args, child_in, child_out, child_err);
  if (pid < 0) fail_errno("fork");
  created = 1;
  if (in[0] >= 0) close(in[0]);
  if (OPTS.tty) close(child_out);
  else close(out[1]), close(err[1]);
  close(devnull);

  int status = 0, master = -1;
  if (OPTS.tty) {
    master = console_wait(console, pid, &status);
    close(console);
    unlink(PATHS.console_sock);
  } else {
    status = runtime_wait(pid);
  }
  if (status != 0) {
    int capture[2] = {out[0], err[0]};
    char *msg = create_error(log_from, capture);
    if (OPTS.exec_process) created = 0;
    fail(msg);
  }
  char *pid_text = read_file(PATHS.pid_file, 64, NULL);
  ST.pid = pid_text ? atoi(pid_text) : 0;
  free(pid_text);
  if (ST.pid <= 0) fail("the runtime did not write a pid file");

  if (OPTS.tty) {
    if (master < 0) fail("the runtime did not send a console");
    set_nonblock(master);
    ST.out_fd[0] = master;
    ST.in_fd = OPTS.open_stdin ? fcntl(master, F_DUPFD_CLOEXEC, 3) : -1;
  } else {
    ST.out_fd[0] = out[0];
    ST.out_fd[1] = err[0];
    ST.in_fd = in[1];
    set_nonblock(out[0]);
    set_nonblock(err[0]);
    if (in[1] >= 0) set_nonblock(in[1]);
  }
}

/* After exit: record the status, tell every client, give them a moment to
 * read it, and leave nothing behind but exit.json and the log. */
static void finish(void) {
  delete_container();
  rootfs_unmount();
  int status = ST.wait_status, code = 0, sig = 0;
  if (WIFEXITED(status)) code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) sig = WTERMSIG(status), code = 128 + sig;
  char ts[48], json[160];
  format_time(ts, &ST.finished);
  snprintf(json, sizeof json, "{\"exitCode\":%d,\"signal\":%d,\"finishedAt\":\"%s\"}", code, sig, ts);
  if (write_file_atomic(PATHS.exit_file, json, strlen(json)) < 0) logmsg("writing exit.json: %m");
  clients_set_exit(json);
  unlink(PATHS.sock);
  clients_accept(ST.listen_fd); /* connections already queued also get the exit frame */
  int64_t deadline = now_ms() + 1000;
  static struct pollfd pfd[1024];
  while (clients_pending_output() && now_ms() < deadline) {
    int nc = clients_pollfds(pfd, 1024, 1); /* late requests still get replies */
    if (poll(pfd, (nfds_t)nc, (int)(deadline - now_ms())) <= 0) break;
    clients_handle(pfd, nc);
  }
  clients_close_all();
  close(ST.listen_fd);
  logfile_close();
}

int main(int argc, char **argv) {
  parse_args(argc, argv);
  if (fcntl(3, F_GETFD) >= 0) { /* the spawner's sync pipe, if it gave us one */
    sync_fd = 3;
    set_cloexec(sync_fd);
  }
  /* Drop anything else the spawner leaked to us (fds 0-3 are handled here). */
  for (int fd = 4; fd < 1024; fd++) close(fd);
  PATHS.sock = path_join(OPTS.state_dir, "shim.sock");
  PATHS.console_sock = path_join(OPTS.state_dir, "console.sock");
  PATHS.pid_file = path_join(OPTS.state_dir, "pid");
  PATHS.runtime_log = path_join(OPTS.state_dir, "runtime.log");
  PATHS.runtime_out = path_join(OPTS.state_dir, "runtime.out");
  PATHS.exit_file = path_join(OPTS.state_dir, "exit.json");
  PATHS.shim_log = path_join(OPTS.state_dir, "shim.log");

  /* Never depend on the spawner's stdio: it may vanish at any moment. */
  int null_fd = open("/dev/null", O_RDONLY);
  int log_fd = open(PATHS.shim_log, O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (null_fd >= 0) dup2(null_fd, 0);
  if (log_fd >= 0) dup2(log_fd, 1), dup2(log_fd, 2);
  if (null_fd > 2 && null_fd != sync_fd) close(null_fd);
  if (log_fd > 2 && log_fd != sync_fd) close(log_fd);
  setsid();
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) fail_errno("PR_SET_CHILD_SUBREAPER");
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  ST.sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  if (ST.sig_fd < 0) fail_errno("signalfd");

  ST.listen_fd = clients_listen(PATHS.sock);
  if (ST.listen_fd < 0) fail_errno(PATHS.sock);
  char *err = NULL;
  if (rootfs_mount(&err) < 0) fail(err);
  if (OPTS.log_path && logfile_open() < 0) fail_errno(OPTS.log_path);
  create_process();

  char line[64];
  snprintf(line, sizeof line, "{\"pid\":%d}\n", (int)ST.pid);
  sync_write(line);
  logmsg("%s %s: pid %d", OPTS.exec_process ? "exec in" : "container", OPTS.id, (int)ST.pid);
  run_loop();
  finish();
  logmsg("%s exited", OPTS.id);
  return 0;
}
