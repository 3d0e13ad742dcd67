#!/bin/sh
# Reads the replica set the init job recorded, from the db by service name,
# and serves a page that says so.
set -e
rs=$(wget -q -O - "$MONGO_URL/replicaset")
echo "$(cat /greeting): connected to replica set $rs" > /www/index.html
date > /app/uploads/started
echo "rocketchat listening on $PORT (replica set $rs)"
trap 'exit 0' TERM
httpd -f -p "$PORT" -h /www &
wait
