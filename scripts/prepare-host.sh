#!/usr/bin/env bash
# Idempotent host preparation for running containers with crun/runc.
# Prints what it changed; changes nothing when the host is already ready.
set -euo pipefail
changed=0
say() { echo "prepare-host: $*"; }

# Hybrid cgroup hosts (v1 hierarchies plus a cgroup2 mount that holds
# controllers) make crun 1.8 refuse to run. Mounting hugetlb, the one
# controller left on the v2 side, as a v1 hierarchy makes the host pure v1.
if [ "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)" != "cgroup2fs" ] && mountpoint -q /sys/fs/cgroup/unified 2>/dev/null; then
  if [ -n "$(tr -d '\n' < /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ] && ! mountpoint -q /sys/fs/cgroup/hugetlb; then
    if grep -qw hugetlb /proc/cgroups; then
      mkdir -p /sys/fs/cgroup/hugetlb
      if mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb 2>/dev/null; then
        say "mounted the hugetlb cgroup as a v1 hierarchy at /sys/fs/cgroup/hugetlb (crun refuses hybrid cgroup hosts)"
        changed=1
      else
        say "could not mount hugetlb as v1; wharf will use runc on this host"
      fi
    fi
  fi
fi

# Containers need overlayfs.
if ! grep -qw overlay /proc/filesystems; then
  modprobe overlay 2>/dev/null && { say "loaded the overlay module"; changed=1; } || say "warning: overlayfs is not available"
fi

[ "$changed" = 1 ] || say "host already prepared"
