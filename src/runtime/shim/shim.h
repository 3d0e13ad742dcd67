/* wharf-shim: a tiny per-container monitor. It holds the container's stdio,
 * writes Docker json-file logs, records the exit status and serves clients on
 * a unix socket, so none of that depends on the daemon staying alive. */
#ifndef WHARF_SHIM_H
#define WHARF_SHIM_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <poll.h>

/* Frame types on shim.sock (8-byte header: type, 0, 0, 0, u32 BE length). */
enum {
  FRAME_STDIN = 0, FRAME_STDOUT = 1, FRAME_STDERR = 2, FRAME_EXIT = 3,
  FRAME_REPLY = 4, FRAME_CLOSE_STDIN = 5, FRAME_RESIZE = 6, FRAME_START = 7,
  FRAME_SUBSCRIBE = 8, FRAME_LOG_ACK = 9,
};
#define FRAME_HEADER 8
#define FRAME_MAX_PAYLOAD (1u << 20)

enum { LOG_FORMAT_JSON = 0, LOG_FORMAT_LOCAL = 1 };

struct shim_opts {
  const char *id, *bundle, *state_dir, *runtime, *runtime_root;
  const char *log_path, *exec_process;
  const char *rootfs_lower, *rootfs_upper, *rootfs_work;
  int tty, open_stdin;
  /* the log file (see logfile.c) */
  int log_format, log_max_file, log_compress, log_seq, log_nattrs;
  long long log_max_size; /* bytes; <= 0: never rotate */
  long log_block;         /* > 0: blocking spool, records allowed unacknowledged */
  const char **log_attrs; /* key=value */
};

/* Paths derived from the state dir, built once at startup. */
struct shim_paths {
  char *sock, *console_sock, *pid_file, *runtime_log, *runtime_out, *exit_file, *shim_log;
};

extern struct shim_opts OPTS;
extern struct shim_paths PATHS;

/* util.c */
void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xstrdup(const char *s);
void *xrealloc(void *p, size_t n);
char *path_join(const char *dir, const char *name);
void format_time(char out[48], const struct timespec *ts);
void format_now(char out[48]);
int64_t now_ms(void);
int write_file_atomic(const char *path, const char *data, size_t len);
char *read_file(const char *path, size_t max, size_t *len_out);
int write_all(int fd, const void *buf, size_t len);
void set_nonblock(int fd);
void set_cloexec(int fd);

/* json.c: the few JSON reads and writes the shim needs. */
size_t json_escape(const unsigned char *in, size_t len, char *out); /* out >= 6*len */
const char *json_member(const char *obj, const char *key);          /* value or NULL */
char *json_string(const char *p);                                   /* malloc'd, or NULL */
long json_long(const char *p, long dflt);

/* logfile.c: the container's log (json-file or local format), rotation, spool acks. */
enum { STREAM_STDOUT = 0, STREAM_STDERR = 1 };
int logfile_open(void);
void logfile_feed(int stream, const unsigned char *data, size_t n);
void logfile_flush(int stream);
void logfile_ack(uint64_t seq);
int logfile_blocked(void);
int logfile_reaped(pid_t pid);
void logfile_close(void);
const struct timespec *logfile_last_time(void);

/* compress.c: gzip a rotated file in a child process; returns its pid (0 on failure). */
pid_t compress_start(const char *path);

/* runtime.c: runs crun/runc with the shim's global options. */
pid_t runtime_spawn(const char *const *args, int in, int out, int err);
int runtime_wait(pid_t pid);
int runtime_run(const char *const *args, char **err_msg);
off_t runtime_log_size(void);
char *runtime_log_error(off_t from);

/* console.c: receives the pty master that the runtime sends on --console-socket. */
int unix_listen(const char *path, int backlog);
int console_listen(const char *path);
int console_wait(int listen_fd, pid_t runtime_pid, int *status);

/* rootfs.c: optional overlay mount of the bundle's root path. */
int rootfs_mount(char **err_msg);
void rootfs_unmount(void);

/* clients.c: control socket clients. */
int clients_listen(const char *path);
void clients_accept(int listen_fd);
int clients_pollfds(struct pollfd *pfd, int max, int want_input);
void clients_handle(struct pollfd *pfd, int n);
void clients_broadcast(int type, const void *data, size_t len, int subscribed_only);
void clients_send_one(void *client, int type, const void *data, size_t len);
void clients_set_exit(const char *exit_json);
int clients_pending_output(void);
void clients_close_all(void);
int clients_count(void);
int clients_backlogged(void);

/* loop.c: the event loop and what frames do. */
struct shim_state {
  pid_t pid;        /* the container (or exec) process, our child via subreaper */
  int out_fd[2];    /* read ends: stdout, stderr (tty: the pty master, and -1) */
  int in_fd;        /* stdin pipe write end or dup of the pty master; -1 if none */
  int listen_fd;    /* shim.sock */
  int sig_fd;       /* signalfd for SIGCHLD */
  int exited, wait_status;
  struct timespec finished;
};
extern struct shim_state ST;
void handle_frame(void *client, int type, const unsigned char *payload, size_t len);
void run_loop(void);

#endif
