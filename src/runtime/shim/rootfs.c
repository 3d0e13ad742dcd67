/* Optional overlayfs mount of the bundle's root path, done by the shim so the
 * mount lives exactly as long as the container does. */
#include "shim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

static char *mounted_at;

/* root.path from the bundle's config.json, made absolute. */
static char *bundle_root_path(char **err_msg) {
  char *cfg_path = path_join(OPTS.bundle, "config.json");
  char *cfg = read_file(cfg_path, 1 << 24, NULL);
  free(cfg_path);
  if (!cfg) {
    *err_msg = xstrdup("cannot read config.json in the bundle");
    return NULL;
  }
  const char *root = json_member(cfg, "root");
  char *path = root ? json_string(json_member(root, "path")) : NULL;
  free(cfg);
  if (!path) {
    *err_msg = xstrdup("config.json has no root.path");
    return NULL;
  }
  if (path[0] == '/') return path;
  char *abs = path_join(OPTS.bundle, path);
  free(path);
  return abs;
}

int rootfs_mount(char **err_msg) {
  if (!OPTS.rootfs_lower) return 0;
  char *target = bundle_root_path(err_msg);
  if (!target) return -1;
  char data[4096];
  int n;
  if (OPTS.rootfs_upper && OPTS.rootfs_work) {
    n = snprintf(data, sizeof data, "lowerdir=%s,upperdir=%s,workdir=%s", OPTS.rootfs_lower,
                 OPTS.rootfs_upper, OPTS.rootfs_work);
  } else if (strchr(OPTS.rootfs_lower, ':')) {
    n = snprintf(data, sizeof data, "lowerdir=%s", OPTS.rootfs_lower); /* read-only overlay */
  } else {
    free(target);
    *err_msg = xstrdup("overlay needs --rootfs-upper and --rootfs-work, or two lower dirs");
    return -1;
  }
  if (n < 0 || (size_t)n >= sizeof data) {
    free(target);
    *err_msg = xstrdup("overlay mount options are longer than one page");
    return -1;
  }
  if (mount("overlay", target, "overlay", 0, data) < 0) {
    char buf[512];
    snprintf(buf, sizeof buf, "mount overlay on %s: %s", target, strerror(errno));
    free(target);
    *err_msg = xstrdup(buf);
    return -1;
  }
  mounted_at = target;
  return 0;
}

void rootfs_unmount(void) {
  if (!mounted_at) return;
  if (umount2(mounted_at, MNT_DETACH) < 0) logmsg("umount %s: %m", mounted_at);
  free(mounted_at);
  mounted_at = NULL;
}
