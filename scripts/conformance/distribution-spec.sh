#!/usr/bin/env bash
# distribution-spec.sh [VERSION...]
#   Runs the OCI distribution-spec conformance suite (opencontainers/distribution-spec
#   conformance/, tags v1.0.1 and v1.1.0 by default) against `wharf registry serve` on a
#   loopback port of its own: pull, push, content discovery and content management workflows.
#   Not part of CI (it needs Go and git mirrors); run it after changing src/registry/server.
#
#   Needs: bare git mirrors (github.com/opencontainers/distribution-spec, bloodorangeio/reggie,
#   onsi/ginkgo) under $CF_MIRROR/<owner>+<name>/repo; Debian's golang-go and the Go libraries in
#   scripts/conformance/apt.txt (installed on demand; GOPATH mode, no module download). Test binaries are built once
#   into $CF_BUILD (default /var/cache/wharf-conformance/distribution-spec/<version>).
#   Results: $OUT/<version>/{report.html,junit.xml,run.log} (OUT defaults to /tmp/oci-conformance).
#   Last line per version: "distribution-spec VERSION: P passed, F failed, S skipped".
set -u
HERE=$(cd "$(dirname "$0")/../.." && pwd)
MIRROR=${CF_MIRROR:?set CF_MIRROR to the directory holding the <owner>+<name>/repo git mirrors}
OUT=${OUT:-/tmp/oci-conformance}
VERSIONS=${*:-v1.0.1 v1.1.0}
# ginkgo v2 for spec v1.1.x (its go.mod's version); v1.0.x uses Debian's ginkgo v1
GINKGO_TAG=v2.11.0

build() { # $1 = spec version
  local v=$1 dir=${CF_BUILD:-/var/cache/wharf-conformance/distribution-spec}/$1
  [ -x "$dir/conformance.test" ] && return 0
  local missing
  missing=$(sed 's/#.*//' "$HERE/scripts/conformance/apt.txt" | xargs -n1 | while read -r p; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
  [ -z "$missing" ] || apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends $missing >/dev/null ||
    { echo "distribution-spec.sh: could not install $missing" >&2; return 1; }
  local gp=$dir/gopath src=$dir/gopath/src/github.com
  rm -rf "$gp"; mkdir -p "$src/opencontainers/distribution-spec" "$src/bloodorangeio/reggie"
  git --git-dir "$MIRROR/opencontainers+distribution-spec/repo" archive "$v" conformance |
    tar -C "$src/opencontainers/distribution-spec" -xf - || return 1
  # the reggie version the suite's go.mod asks for
  local reggie
  reggie=$(awk '$1 == "github.com/bloodorangeio/reggie" { print $2 }' "$src/opencontainers/distribution-spec/conformance/go.mod")
  git --git-dir "$MIRROR/bloodorangeio+reggie/repo" archive "$reggie" | tar -C "$src/bloodorangeio/reggie" -xf - || return 1
  if grep -q 'ginkgo/v2' "$src/opencontainers/distribution-spec/conformance/go.mod"; then
    mkdir -p "$src/onsi/ginkgo/v2"
    git --git-dir "$MIRROR/onsi+ginkgo/repo" archive "$GINKGO_TAG" | tar -C "$src/onsi/ginkgo/v2" -xf - || return 1
  fi
  (cd "$src/opencontainers/distribution-spec/conformance" &&
    GO111MODULE=off GOPATH="$gp:/usr/share/gocode" GOFLAGS= CGO_ENABLED=0 go test -c -o "$dir/conformance.test.part") \
    >"$dir/build.log" 2>&1 && mv "$dir/conformance.test.part" "$dir/conformance.test" ||
    { echo "distribution-spec.sh: build of $v failed: $(tail -5 "$dir/build.log")" >&2; return 1; }
}

free_port() { node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

run() { # $1 = spec version
  local v=$1 out=$OUT/$1 root port pid
  mkdir -p "$out"
  root=$(mktemp -d /tmp/oci-conformance-root.XXXXXX)
  port=$(free_port)
  node "$HERE/bin/wharf" registry serve --addr "127.0.0.1:$port" --root "$root" >"$out/registry.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
  (cd "$out" && OCI_ROOT_URL="http://127.0.0.1:$port" OCI_NAMESPACE=conformance/repo \
     OCI_CROSSMOUNT_NAMESPACE=conformance/other OCI_AUTOMATIC_CROSSMOUNT=${OCI_AUTOMATIC_CROSSMOUNT:-0} OCI_TEST_PULL=1 OCI_TEST_PUSH=1 \
     OCI_TEST_CONTENT_DISCOVERY=1 OCI_TEST_CONTENT_MANAGEMENT=1 OCI_HIDE_SKIPPED_WORKFLOWS=0 \
     OCI_REPORT_DIR="$out" timeout 600 "${CF_BUILD:-/var/cache/wharf-conformance/distribution-spec}/$v/conformance.test" \
     >"$out/run.log" 2>&1)
  kill "$pid"; wait "$pid" 2>/dev/null
  rm -rf "$root"
  /usr/bin/python3 - "$out/junit.xml" "$v" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    cases = list(ET.parse(sys.argv[1]).iter("testcase"))
except Exception as e:
    print(f"distribution-spec {sys.argv[2]}: no report ({e})"); sys.exit(1)
f = [c for c in cases if c.find("failure") is not None or c.find("error") is not None]
s = [c for c in cases if c.find("skipped") is not None]
for c in f:
    print("FAIL", c.get("name"), file=sys.stderr)
print(f"distribution-spec {sys.argv[2]}: {len(cases) - len(f) - len(s)} passed, {len(f)} failed, {len(s)} skipped")
PY
}

rc=0
for v in $VERSIONS; do build "$v" && run "$v" || rc=1; done
exit $rc
