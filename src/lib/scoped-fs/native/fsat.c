/* wharf-fsat.node: the *at(2) system calls Node's fs module does not offer,
 * for resolving and changing paths inside an untrusted directory tree (a
 * container's filesystem) without ever leaving it:
 *   openat2   with RESOLVE_IN_ROOT the kernel resolves every symlink and ".."
 *             as if the dirfd were "/", atomically (no check-then-use race)
 *   mknodat, linkat (AT_EMPTY_PATH / AT_SYMLINK_FOLLOW on /proc/self/fd),
 *   readlinkat (on an O_PATH fd), fchownat, getxattr, setxattr.
 * Every call is synchronous and takes microseconds; errors are thrown as
 * Node-style errors (code "ENOENT", errno, syscall). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "napi.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef RESOLVE_NO_XDEV
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10
#endif

struct wharf_open_how {
  uint64_t flags;
  uint64_t mode;
  uint64_t resolve;
};

#define MAX_ARGS 6
#define PATH_BUF 4096

static napi_value undefined(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}

/* Throws an Error like Node's fs errors: message "<syscall> <CODE>: <text>", code, errno, syscall. */
static napi_value throw_errno(napi_env env, const char *syscall_name, int err) {
  const char *name = strerrorname_np(err);
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s, %s", name ? name : "EUNKNOWN", strerror(err), syscall_name);
  napi_value code, text, error, num, sc;
  napi_create_string_utf8(env, name ? name : "EUNKNOWN", (size_t)-1, &code);
  napi_create_string_utf8(env, msg, (size_t)-1, &text);
  napi_create_error(env, code, text, &error);
  napi_create_int32(env, -err, &num);
  napi_set_named_property(env, error, "errno", num);
  napi_create_string_utf8(env, syscall_name, (size_t)-1, &sc);
  napi_set_named_property(env, error, "syscall", sc);
  napi_throw(env, error);
  return NULL;
}

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = MAX_ARGS;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != 0 || argc < want) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "wrong number of arguments");
    return -1;
  }
  return 0;
}

static int get_int(napi_env env, napi_value v, int64_t *out) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != 0 || t != napi_number || napi_get_value_int64(env, v, out) != 0) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a number");
    return -1;
  }
  return 0;
}

/* A path argument: a string without NUL bytes (a NUL would silently name another file), shorter than PATH_MAX. */
static int get_path(napi_env env, napi_value v, char *buf) {
  napi_valuetype t;
  size_t len = 0;
  if (napi_typeof(env, v, &t) != 0 || t != napi_string) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a string path");
    return -1;
  }
  napi_get_value_string_utf8(env, v, NULL, 0, &len);
  if (len >= PATH_BUF) {
    throw_errno(env, "path", ENAMETOOLONG);
    return -1;
  }
  napi_get_value_string_utf8(env, v, buf, PATH_BUF, &len);
  if (strlen(buf) != len) {
    throw_errno(env, "path", EINVAL);
    return -1;
  }
  return 0;
}

/* openat2(dirfd, path, flags, mode, resolve) -> fd. EAGAIN (a rename raced the walk) is retried. */
static napi_value js_openat2(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int64_t dirfd, flags, mode, resolve;
  char path[PATH_BUF];
  if (get_args(env, info, 5, argv) < 0 || get_int(env, argv[0], &dirfd) < 0 || get_path(env, argv[1], path) < 0 ||
      get_int(env, argv[2], &flags) < 0 || get_int(env, argv[3], &mode) < 0 || get_int(env, argv[4], &resolve) < 0)
    return NULL;
  struct wharf_open_how how = {.flags = (uint64_t)flags | O_CLOEXEC, .mode = (uint64_t)mode, .resolve = (uint64_t)resolve};
  if (!(how.flags & (O_CREAT | O_TMPFILE))) how.mode = 0;
  long fd = -1;
  for (int i = 0; i < 256; i++) {
    fd = syscall(SYS_openat2, (int)dirfd, path, &how, sizeof how);
    if (fd >= 0 || (errno != EAGAIN && errno != EINTR)) break;
  }
  if (fd < 0) return throw_errno(env, "openat2", errno);
  napi_value out;
  napi_create_int32(env, (int32_t)fd, &out);
  return out;
}

/* mknodat(dirfd, name, mode, major, minor): mode carries the type bits (S_IFCHR, S_IFBLK, S_IFIFO). */
static napi_value js_mknodat(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int64_t dirfd, mode, major, minor;
  char path[PATH_BUF];
  if (get_args(env, info, 5, argv) < 0 || get_int(env, argv[0], &dirfd) < 0 || get_path(env, argv[1], path) < 0 ||
      get_int(env, argv[2], &mode) < 0 || get_int(env, argv[3], &major) < 0 || get_int(env, argv[4], &minor) < 0)
    return NULL;
  if (mknodat((int)dirfd, path, (mode_t)mode, makedev((unsigned)major, (unsigned)minor)) < 0)
    return throw_errno(env, "mknodat", errno);
  return undefined(env);
}

/* linkat(olddirfd, oldpath, newdirfd, newpath, flags). */
static napi_value js_linkat(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int64_t olddir, newdir, flags;
  char oldpath[PATH_BUF], newpath[PATH_BUF];
  if (get_args(env, info, 5, argv) < 0 || get_int(env, argv[0], &olddir) < 0 || get_path(env, argv[1], oldpath) < 0 ||
      get_int(env, argv[2], &newdir) < 0 || get_path(env, argv[3], newpath) < 0 || get_int(env, argv[4], &flags) < 0)
    return NULL;
  if (linkat((int)olddir, oldpath, (int)newdir, newpath, (int)flags) < 0) return throw_errno(env, "linkat", errno);
  return undefined(env);
}

/* readlinkat(dirfd, path) -> string; path "" reads the link an O_PATH|O_NOFOLLOW fd refers to. */
static napi_value js_readlinkat(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int64_t dirfd;
  char path[PATH_BUF], target[PATH_BUF];
  if (get_args(env, info, 2, argv) < 0 || get_int(env, argv[0], &dirfd) < 0 || get_path(env, argv[1], path) < 0)
    return NULL;
  ssize_t n = readlinkat((int)dirfd, path, target, sizeof target);
  if (n < 0) return throw_errno(env, "readlinkat", errno);
  if ((size_t)n >= sizeof target) return throw_errno(env, "readlinkat", ENAMETOOLONG);
  napi_value out;
  napi_create_string_utf8(env, target, (size_t)n, &out);
  return out;
}

/* fchownat(dirfd, path, uid, gid, flags): AT_EMPTY_PATH works on O_PATH fds. */
static napi_value js_fchownat(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  int64_t dirfd, uid, gid, flags;
  char path[PATH_BUF];
  if (get_args(env, info, 5, argv) < 0 || get_int(env, argv[0], &dirfd) < 0 || get_path(env, argv[1], path) < 0 ||
      get_int(env, argv[2], &uid) < 0 || get_int(env, argv[3], &gid) < 0 || get_int(env, argv[4], &flags) < 0)
    return NULL;
  if (fchownat((int)dirfd, path, (uid_t)uid, (gid_t)gid, (int)flags) < 0) return throw_errno(env, "fchownat", errno);
  return undefined(env);
}

/* getxattr(path, name) -> Buffer, or null when the attribute is absent (or the fs has none). */
static napi_value js_getxattr(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  char path[PATH_BUF], name[PATH_BUF], value[4096];
  if (get_args(env, info, 2, argv) < 0 || get_path(env, argv[0], path) < 0 || get_path(env, argv[1], name) < 0)
    return NULL;
  ssize_t n = getxattr(path, name, value, sizeof value);
  if (n < 0) {
    if (errno == ENODATA || errno == ENOTSUP) {
      napi_value nul;
      napi_get_null(env, &nul);
      return nul;
    }
    return throw_errno(env, "getxattr", errno);
  }
  napi_value out;
  napi_create_buffer_copy(env, (size_t)n, value, NULL, &out);
  return out;
}

/* setxattr(path, name, value: Buffer, flags). */
static napi_value js_setxattr(napi_env env, napi_callback_info info) {
  napi_value argv[MAX_ARGS];
  char path[PATH_BUF], name[PATH_BUF];
  int64_t flags;
  bool isbuf = false;
  void *data = NULL;
  size_t len = 0;
  if (get_args(env, info, 4, argv) < 0 || get_path(env, argv[0], path) < 0 || get_path(env, argv[1], name) < 0 ||
      get_int(env, argv[3], &flags) < 0)
    return NULL;
  if (napi_is_buffer(env, argv[2], &isbuf) != 0 || !isbuf || napi_get_buffer_info(env, argv[2], &data, &len) != 0) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a Buffer value");
    return NULL;
  }
  if (setxattr(path, name, data, len, (int)flags) < 0) return throw_errno(env, "setxattr", errno);
  return undefined(env);
}

static void set_fn(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, (size_t)-1, cb, NULL, &fn);
  napi_set_named_property(env, exports, name, fn);
}

static void set_int(napi_env env, napi_value exports, const char *name, int32_t v) {
  napi_value n;
  napi_create_int32(env, v, &n);
  napi_set_named_property(env, exports, name, n);
}

napi_value napi_register_module_v1(napi_env env, napi_value exports) {
  set_fn(env, exports, "openat2", js_openat2);
  set_fn(env, exports, "mknodat", js_mknodat);
  set_fn(env, exports, "linkat", js_linkat);
  set_fn(env, exports, "readlinkat", js_readlinkat);
  set_fn(env, exports, "fchownat", js_fchownat);
  set_fn(env, exports, "getxattr", js_getxattr);
  set_fn(env, exports, "setxattr", js_setxattr);
  set_int(env, exports, "O_PATH", O_PATH);
  set_int(env, exports, "O_NOFOLLOW", O_NOFOLLOW);
  set_int(env, exports, "O_DIRECTORY", O_DIRECTORY);
  set_int(env, exports, "O_NONBLOCK", O_NONBLOCK);
  set_int(env, exports, "RESOLVE_IN_ROOT", RESOLVE_IN_ROOT);
  set_int(env, exports, "RESOLVE_NO_MAGICLINKS", RESOLVE_NO_MAGICLINKS);
  set_int(env, exports, "RESOLVE_NO_SYMLINKS", RESOLVE_NO_SYMLINKS);
  set_int(env, exports, "RESOLVE_BENEATH", RESOLVE_BENEATH);
  set_int(env, exports, "RESOLVE_NO_XDEV", RESOLVE_NO_XDEV);
  set_int(env, exports, "AT_FDCWD", AT_FDCWD);
  set_int(env, exports, "AT_EMPTY_PATH", AT_EMPTY_PATH);
  set_int(env, exports, "AT_SYMLINK_NOFOLLOW", AT_SYMLINK_NOFOLLOW);
  set_int(env, exports, "AT_SYMLINK_FOLLOW", AT_SYMLINK_FOLLOW);
  set_int(env, exports, "S_IFCHR", S_IFCHR);
  set_int(env, exports, "S_IFBLK", S_IFBLK);
  set_int(env, exports, "S_IFIFO", S_IFIFO);
  return exports;
}

/* Newer Node versions ask which Node-API version the addon was built for. */
int32_t node_api_module_get_api_version_v1(void) { return 8; }
