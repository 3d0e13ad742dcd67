/*
 * peerCred(fd) → { pid, uid, gid } of the process at the other end of a unix
 * socket (SO_PEERCRED), or undefined. Node has no getsockopt; the daemon uses
 * this to log who sent each API request over its socket.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>
#include <sys/socket.h>

static napi_value peer_cred(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result, v;
  int32_t fd;
  struct ucred cred;
  socklen_t len = sizeof cred;

  napi_get_undefined(env, &result);
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) return result;
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) return result;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return result;
  napi_create_object(env, &result);
  napi_create_int32(env, cred.pid, &v);
  napi_set_named_property(env, result, "pid", v);
  napi_create_uint32(env, cred.uid, &v);
  napi_set_named_property(env, result, "uid", v);
  napi_create_uint32(env, cred.gid, &v);
  napi_set_named_property(env, result, "gid", v);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "peerCred", NAPI_AUTO_LENGTH, peer_cred, NULL, &fn);
  napi_set_named_property(env, exports, "peerCred", fn);
  return exports;
}
