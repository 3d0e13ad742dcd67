#!/usr/bin/env bash
# A swarm of N wharf "hosts" on this machine, for trying swarm mode:
#   scripts/cluster.sh up 3     # netns wsw-<id>-<i>, bridge wsw<id>, 10.213.0.<i>/24, a daemon and etcd member each
#   scripts/cluster.sh down     # leave, stop, remove everything it made
# Each host's socket is /run/wsw-<id>-<i>.sock: DOCKER_HOST=unix:///run/wsw-<id>-1.sock docker node ls
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=/run/wharf-cluster.env
cmd=${1:-}; n=${2:-3}

up() {
  [ -e "$STATE" ] && { echo "a cluster is already up ($STATE); run: $0 down" >&2; exit 1; }
  id=$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')
  br="wsw$id"
  ip link add "$br" type bridge && ip link set "$br" up
  echo "ID=$id N=$n" > "$STATE"
  for i in $(seq 1 "$n"); do
    ns="wsw-$id-$i"; root="/var/lib/wharf-cluster/$id/$i"; sock="/run/wsw-$id-$i.sock"
    ip netns add "$ns"
    ip link add "wsv$id$i" type veth peer name eth0 netns "$ns"
    ip link set "wsv$id$i" master "$br" up
    ip -n "$ns" addr add "10.213.0.$i/24" dev eth0
    ip -n "$ns" link set eth0 up && ip -n "$ns" link set lo up
    mkdir -p "$root"
    nsenter --net="/run/netns/$ns" -- unshare --uts -- sh -c 'hostname "$0" && exec "$@"' "node$i" \
      bin/wharf daemon -H "unix://$sock" --data-root "$root/data" --exec-root "/run/wsw-$id-$i" --pidfile "$root/wharf.pid" \
      --bridge "wsb$id$i" --bip "10.213.$((20 + i)).1/24" --cgroup-parent "/wsw-$id-$i" >"$root/daemon.log" 2>&1 &
    for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.2; done
    if [ -f build/busybox.tar ]; then
      curl -s --unix-socket "$sock" -X POST -H 'Content-Type: application/x-tar' --data-binary @build/busybox.tar \
        "http://x/images/create?fromSrc=-&repo=busybox&tag=latest&changes=CMD%20%5B%22sh%22%5D" >/dev/null
    fi
  done
  export DOCKER_HOST="unix:///run/wsw-$id-1.sock"
  docker swarm init --advertise-addr 10.213.0.1 --default-addr-pool 10.213.128.0/17 >/dev/null
  token=$(docker swarm join-token -q manager)
  for i in $(seq 2 "$n"); do
    DOCKER_HOST="unix:///run/wsw-$id-$i.sock" docker swarm join --token "$token" --advertise-addr "10.213.0.$i" 10.213.0.1:2377
  done
  docker node ls
  echo "export DOCKER_HOST=unix:///run/wsw-$id-1.sock"
}

down() {
  [ -e "$STATE" ] || { echo "no cluster is up" >&2; exit 0; }
  . "$STATE"
  for i in $(seq "$N" -1 1); do DOCKER_HOST="unix:///run/wsw-$ID-$i.sock" timeout 30 docker swarm leave --force >/dev/null 2>&1 || true; done
  for i in $(seq 1 "$N"); do
    root="/var/lib/wharf-cluster/$ID/$i"
    [ -f "$root/wharf.pid" ] && kill "$(cat "$root/wharf.pid")" 2>/dev/null || true
  done
  sleep 2
  for i in $(seq 1 "$N"); do
    ns="wsw-$ID-$i"
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns delete "$ns" 2>/dev/null || true
    for d in /sys/fs/cgroup/*/"wsw-$ID-$i"; do [ -d "$d" ] && { find "$d" -mindepth 1 -type d -delete 2>/dev/null; rmdir "$d" 2>/dev/null; } || true; done
  done
  ip link delete "wsw$ID" 2>/dev/null || true
  rm -rf "/var/lib/wharf-cluster/$ID" "$STATE" /run/wsw-"$ID"-*
}

case "$cmd" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up [N] | down" >&2; exit 2 ;;
esac
