#!/usr/bin/env bash
# slack-intel's test S3 server. Adapted from the team's ceph-rgw notes: ports are chosen free
# at creation time (so a second cluster can run beside one), and the endpoint and keys are
# written to $CEPH_TEST_DIR/s3.env for the test harness and the demo to source.
#
# Single-node Ceph (Debian 12 packages, Pacific 16.2.x) test cluster + RADOS Gateway (S3),
# bound to 127.0.0.1 only, all state under $CEPH_TEST_DIR (default /tmp/ceph-test).
#
#   start.sh            start (or resume) the cluster; idempotent
#   start.sh --fresh    stop what is running (via stop.sh), wipe $CEPH_TEST_DIR, start anew
#
# Environment knobs (defaults in brackets):
#   CEPH_TEST_DIR [/tmp/ceph-test]   RGW_PORT [a free port]  MON_V2_PORT, MON_V1_PORT [free ports]
#   S3_ACCESS_KEY [CEPHTESTACCESSKEY001]  S3_SECRET_KEY [cephtestsecretkey0000000000000000000000001]
#   OBJECTSTORE [bluestore]  bluestore = BlueStore on a sparse file $CEPH_TEST_DIR/osd/ceph-0/block
#                            (persistent across stop/start);  memstore = objects held in RAM
#                            (saved to disk only on a clean stop.sh; chosen at creation time)
#   BLUESTORE_BYTES [10737418240] size of the sparse block file (disk used = data actually stored)
#   OSD_MEMORY_TARGET [1073741824] BlueStore cache autotune target
#   MEMSTORE_BYTES [4294967296]    memstore capacity (RAM used = data actually stored)
#   WITH_MGR [auto]  auto = start ceph-mgr if installed (only needed for `ceph df`, `ceph osd df`,
#                    PG stats in `ceph -s`); 0 = never. RGW/S3 works without it.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BASE="${CEPH_TEST_DIR:-/tmp/ceph-test}"
IP=127.0.0.1
PY3="$(command -v /usr/bin/python3 || command -v python3)"
free_port() { "$PY3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
conf_get() { sed -n "s/^$1 = //p" "$BASE/ceph.conf" 2>/dev/null | head -n1; }
if [[ -s "$BASE/ceph.conf" && "${1:-}" != --fresh ]]; then  # resuming: keep the ports the cluster was made with
  RGW_PORT="$(conf_get '# rgw port')"; MON_V2_PORT="$(conf_get '# mon v2 port')"
  MON_V1_PORT="$(conf_get '# mon v1 port')"; MS_PORT_MIN="$(conf_get 'ms bind port min')"
  MS_PORT_MAX="$(conf_get 'ms bind port max')"
fi
RGW_PORT="${RGW_PORT:-$(free_port)}"
MON_V2_PORT="${MON_V2_PORT:-$(free_port)}"
MON_V1_PORT="${MON_V1_PORT:-$(free_port)}"
MS_PORT_MIN="${MS_PORT_MIN:-$((20000 + RANDOM % 20000))}"
MS_PORT_MAX="${MS_PORT_MAX:-$((MS_PORT_MIN + 99))}"
MEMSTORE_BYTES="${MEMSTORE_BYTES:-4294967296}"
BLUESTORE_BYTES="${BLUESTORE_BYTES:-10737418240}"
OSD_MEMORY_TARGET="${OSD_MEMORY_TARGET:-1073741824}"
OBJECTSTORE="${OBJECTSTORE:-bluestore}"
WITH_MGR="${WITH_MGR:-auto}"
ACCESS_KEY="${S3_ACCESS_KEY:-CEPHTESTACCESSKEY001}"
SECRET_KEY="${S3_SECRET_KEY:-cephtestsecretkey0000000000000000000000001}"
S3_UID="${S3_UID:-testuser}"
CONF="$BASE/ceph.conf"
export CEPH_CONF="$CONF"
CEPH="ceph -c $CONF --connect-timeout 20"

log() { printf '[ceph-start %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [[ "${1:-}" == "--fresh" ]]; then
  CEPH_TEST_DIR="$BASE" "$HERE/stop.sh" || true
  log "wiping $BASE"
  rm -rf "$BASE"
fi

for b in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph; do
  command -v "$b" >/dev/null || die "$b not found: apt-get install ceph-mon ceph-osd radosgw ceph-common"
done

pid_alive() { # $1 = pid file
  [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

mkdir -p "$BASE"/{run,log,mon,mgr/ceph-x,osd,crash,rgw}

# ---------------------------------------------------------------- config
if [[ ! -s "$CONF" ]]; then
  [[ "$OBJECTSTORE" == bluestore || "$OBJECTSTORE" == memstore ]] || die "OBJECTSTORE must be bluestore or memstore"
  FSID="$(cat /proc/sys/kernel/random/uuid)"
  cat >"$CONF" <<EOF
# rgw port = $RGW_PORT
# mon v2 port = $MON_V2_PORT
# mon v1 port = $MON_V1_PORT
[global]
fsid = $FSID
mon host = [v2:$IP:$MON_V2_PORT,v1:$IP:$MON_V1_PORT]
public addr = $IP
cluster addr = $IP
public network = 127.0.0.0/8
ms bind ipv4 = true
ms bind ipv6 = false
ms bind port min = $MS_PORT_MIN
ms bind port max = $MS_PORT_MAX
auth cluster required = none
auth service required = none
auth client required = none
# radosgw defaults to ms_mon_client_mode=secure + cephx; without cephx that cannot work
ms mon client mode = crc
ms client mode = crc
run dir = $BASE/run
pid file = $BASE/run/\$name.pid
admin socket = $BASE/run/\$name.asok
log file = $BASE/log/\$name.log
log to stderr = false
err to stderr = true
crash dir = $BASE/crash
keyring = $BASE/keyring
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 2
mon data avail crit = 1
mon osd down out interval = 0
mon warn on osd down out interval zero = false
mon warn on insecure global id reclaim allowed = false
auth allow insecure global id reclaim = false

[mon]
mon data = $BASE/mon/\$cluster-\$id
mon cluster log file = $BASE/log/cluster.log

[mgr]
mgr data = $BASE/mgr/\$cluster-\$id

[osd]
osd data = $BASE/osd/\$cluster-\$id
osd objectstore = $OBJECTSTORE
memstore device bytes = $MEMSTORE_BYTES
memstore page set = false
# memstore only writes its objects to disk on a clean umount, which the fast path skips
osd fast shutdown = $([[ $OBJECTSTORE == memstore ]] && echo false || echo true)
bluestore block create = true
bluestore block size = $BLUESTORE_BYTES
bluestore fsck on mount = false
osd memory target = $OSD_MEMORY_TARGET
osd op num shards = 1
osd op num threads per shard = 2
osd class load list = *
osd class default list = *

[client.rgw.a]
rgw frontends = beast endpoint=$IP:$RGW_PORT
rgw data = $BASE/rgw
rgw thread pool size = 32
# reclaim space of deleted/overwritten objects after minutes instead of the default 2 h
rgw gc obj min wait = 60
rgw gc processor period = 120
rgw dns name = localhost
log file = $BASE/log/rgw.a.log
EOF
  log "wrote $CONF (fsid $FSID)"
fi
FSID="$(ceph-conf -c "$CONF" --lookup fsid)"
OBJECTSTORE="$(ceph-conf -c "$CONF" -n osd.0 --lookup osd_objectstore)"

# ---------------------------------------------------------------- monitor
MON_DIR="$BASE/mon/ceph-a"
if [[ ! -e "$MON_DIR/store.db" ]]; then
  log "creating monitor a"
  rm -rf "$MON_DIR"; mkdir -p "$MON_DIR"
  monmaptool --create --clobber --fsid "$FSID" \
    --addv a "[v2:$IP:$MON_V2_PORT,v1:$IP:$MON_V1_PORT]" "$BASE/monmap" >/dev/null
  ceph-mon -c "$CONF" --mkfs -i a --monmap "$BASE/monmap" >"$BASE/log/mon-mkfs.log" 2>&1 \
    || { cat "$BASE/log/mon-mkfs.log"; die "ceph-mon --mkfs failed"; }
fi
if pid_alive "$BASE/run/mon.a.pid"; then
  log "mon.a already running (pid $(cat "$BASE/run/mon.a.pid"))"
else
  log "starting mon.a on $IP:$MON_V2_PORT (v2) / $IP:$MON_V1_PORT (v1)"
  ceph-mon -c "$CONF" -i a
fi
for i in $(seq 60); do
  $CEPH mon stat >/dev/null 2>&1 && break
  [[ $i == 60 ]] && die "monitor did not answer; see $BASE/log/mon.a.log"
  sleep 1
done

# ---------------------------------------------------------------- manager (optional)
if [[ "$WITH_MGR" != 0 ]] && command -v ceph-mgr >/dev/null; then
  if pid_alive "$BASE/run/mgr.x.pid"; then
    log "mgr.x already running (pid $(cat "$BASE/run/mgr.x.pid"))"
  else
    log "starting mgr.x"
    ceph-mgr -c "$CONF" -i x
  fi
  # 'restful' is on by default in a new cluster; it has no cert so it serves nothing, but be explicit
  $CEPH mgr module disable restful >/dev/null 2>&1 || true
fi

# ---------------------------------------------------------------- OSD (memstore)
OSD_DIR="$BASE/osd/ceph-0"
if [[ ! -s "$OSD_DIR/fsid" ]]; then
  log "creating osd.0 ($OBJECTSTORE)"
  rm -rf "$OSD_DIR"; mkdir -p "$OSD_DIR"
  OSD_UUID="$(cat /proc/sys/kernel/random/uuid)"
  OSD_ID="$($CEPH osd new "$OSD_UUID")"
  [[ "$OSD_ID" == 0 ]] || die "expected osd id 0, got '$OSD_ID'"
  ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" >"$BASE/log/osd-mkfs.log" 2>&1 \
    || { cat "$BASE/log/osd-mkfs.log"; die "ceph-osd --mkfs failed"; }
fi
if pid_alive "$BASE/run/osd.0.pid"; then
  log "osd.0 already running (pid $(cat "$BASE/run/osd.0.pid"))"
else
  log "starting osd.0"
  ceph-osd -c "$CONF" -i 0
fi
for i in $(seq 90); do
  # ask the daemon itself (admin socket) so a stale "up" in the osdmap cannot fool us
  state="$(ceph --admin-daemon "$BASE/run/osd.0.asok" status 2>/dev/null | "$PY3" -c 'import json,sys; print(json.load(sys.stdin)["state"])' 2>/dev/null || true)"
  [[ "$state" == active ]] && break
  [[ $i == 90 ]] && die "osd.0 did not come up; see $BASE/log/osd.0.log"
  sleep 1
done
log "osd.0 is up"

# ---------------------------------------------------------------- RADOS Gateway
if pid_alive "$BASE/run/client.rgw.a.pid"; then
  log "rgw already running (pid $(cat "$BASE/run/client.rgw.a.pid"))"
else
  log "starting radosgw (beast) on $IP:$RGW_PORT"
  radosgw -c "$CONF" -n client.rgw.a
fi
for i in $(seq 120); do
  code="$(curl -s -o /dev/null -w '%{http_code}' "http://$IP:$RGW_PORT/" || true)"
  [[ "$code" == 200 ]] && break
  [[ $i == 120 ]] && die "rgw did not answer on $IP:$RGW_PORT (last http code '$code'); see $BASE/log/rgw.a.log"
  sleep 1
done
log "rgw answers on http://$IP:$RGW_PORT"

# ---------------------------------------------------------------- S3 user
if radosgw-admin -c "$CONF" user info --uid="$S3_UID" >/dev/null 2>&1; then
  log "user $S3_UID exists"
else
  log "creating user $S3_UID"
  radosgw-admin -c "$CONF" user create --uid="$S3_UID" --display-name="S3 test user" \
    --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >"$BASE/log/user-create.json" \
    || die "radosgw-admin user create failed"
fi

# wait until an authenticated S3 request succeeds (ListBuckets)
for i in $(seq 60); do
  if AWS_ACCESS_KEY_ID="$ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$SECRET_KEY" AWS_DEFAULT_REGION=us-east-1 \
     "$PY3" - "$IP" "$RGW_PORT" <<'PY' >/dev/null 2>&1
import sys, os, hmac, hashlib, datetime, urllib.request
host = f"{sys.argv[1]}:{sys.argv[2]}"
ak, sk = os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]
t = datetime.datetime.utcnow(); amz = t.strftime("%Y%m%dT%H%M%SZ"); day = t.strftime("%Y%m%d")
ph = hashlib.sha256(b"").hexdigest()
canon = f"GET\n/\n\nhost:{host}\nx-amz-content-sha256:{ph}\nx-amz-date:{amz}\n\nhost;x-amz-content-sha256;x-amz-date\n{ph}"
scope = f"{day}/us-east-1/s3/aws4_request"
sts = f"AWS4-HMAC-SHA256\n{amz}\n{scope}\n" + hashlib.sha256(canon.encode()).hexdigest()
k = ("AWS4" + sk).encode()
for m in (day, "us-east-1", "s3", "aws4_request"):
    k = hmac.new(k, m.encode(), hashlib.sha256).digest()
sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
req = urllib.request.Request(f"http://{host}/", headers={
    "x-amz-date": amz, "x-amz-content-sha256": ph,
    "Authorization": f"AWS4-HMAC-SHA256 Credential={ak}/{scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={sig}"})
with urllib.request.urlopen(req, timeout=5) as r:
    assert r.status == 200 and b"ListAllMyBucketsResult" in r.read()
PY
  then break; fi
  [[ $i == 60 ]] && die "authenticated S3 request keeps failing; see $BASE/log/rgw.a.log"
  sleep 1
done

cat >"$BASE/s3.env.tmp" <<EOF
S3_ENDPOINT=http://$IP:$RGW_PORT
S3_ACCESS_KEY=$ACCESS_KEY
S3_SECRET_KEY=$SECRET_KEY
S3_REGION=us-east-1
EOF
mv "$BASE/s3.env.tmp" "$BASE/s3.env"
log "S3 endpoint http://$IP:$RGW_PORT (path-style, any region); endpoint and keys in $BASE/s3.env"
