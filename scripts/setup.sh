#!/usr/bin/env bash
# One command from a fresh Debian 12 machine (as root) to a running container:
# installs system packages, npm dependencies, builds wharf and its monitor,
# prepares the host, seeds busybox:latest, and runs a container.
# Idempotent: re-running it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
[ "$(id -u)" = 0 ] || { echo "setup: run as root (wharf manages namespaces, mounts and cgroups)" >&2; exit 1; }

# One list per concern in scripts/apt/*.txt (a package a line, # comments).
mapfile -t pkgs < <(cat scripts/apt/*.txt | sed 's/#.*//' | tr -s ' \t' '\n' | grep -v '^$' | sort -u)
command -v node >/dev/null || pkgs+=(nodejs npm)
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Packages such as docker.io and openssh-server start their system services on install
  # (a dockerd owning iptables, an sshd on :22); wharf and its tests start their own, privately.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || echo "setup: warning: wharf needs Node.js 20 or newer (found $(node --version))" >&2

if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ] || { [ -f package-lock.json ] && [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  echo "setup: installing npm dependencies"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
fi
echo "setup: building"
npm run --silent build

bash scripts/prepare-host.sh
[ -f build/busybox.tar ] || { echo "setup: building the busybox rootfs from busybox-static"; bash scripts/make-busybox-rootfs.sh build/busybox.tar; }
ln -sf "$repo/bin/wharf" /usr/local/bin/wharf 2>/dev/null || true
# `docker compose` runs wharf's compose (unless another compose plugin is installed there)
plugin=/usr/local/lib/docker/cli-plugins/docker-compose
if [ ! -e "$plugin" ] || [ "$(readlink -f "$plugin")" = "$(readlink -f bin/wharf)" ]; then bin/wharf compose install-plugin --system >/dev/null; fi

# The CLI starts the daemon in the background when none answers (root only).
if ! bin/wharf image inspect busybox:latest >/dev/null 2>&1; then
  echo "setup: seeding busybox:latest"
  bin/wharf import -c 'CMD ["sh"]' build/busybox.tar busybox:latest >/dev/null
fi
echo "setup: running a container:"
bin/wharf run --rm busybox echo "hello from a wharf container"
