#!/usr/bin/env bash
# Try a multi-host bundle on one machine: starts a NATS hub and one leaf server per host id
# (each with its own JetStream domain and store under DIR), prints the [[hosts]] entries for
# the bundle file, and stops them all on Ctrl-C. Ports: hub 4460 (leafnodes 7460), leaves
# 4461, 4462, … (never 4222, which a system nats-server may hold).
#   usage: scripts/nats-local.sh DIR HOST [HOST…]    e.g. scripts/nats-local.sh /tmp/amx laptop build
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 DIR HOST [HOST...]" >&2
  exit 2
fi
command -v nats-server >/dev/null || { echo "nats-server is not installed (apt-get install nats-server)" >&2; exit 1; }
dir=$1
shift
mkdir -p "$dir"
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait; }
trap stop EXIT INT TERM

cat >"$dir/hub.conf" <<CONF
server_name: hub
listen: 127.0.0.1:4460
jetstream { store_dir: "$dir/hub", domain: hub, max_memory_store: 64MB, max_file_store: 1GB }
leafnodes { listen: 127.0.0.1:7460 }
CONF
nats-server -c "$dir/hub.conf" 2>"$dir/hub.log" &
pids+=($!)

port=4461
echo "# add to bundles/<bundle>.toml, then run each host's commands with AGENTMUX_HOST=<id>"
for host in "$@"; do
  cat >"$dir/$host.conf" <<CONF
server_name: $host
listen: 127.0.0.1:$port
jetstream { store_dir: "$dir/$host", domain: $host, max_memory_store: 64MB, max_file_store: 1GB }
leafnodes { remotes: [ { url: "nats-leaf://127.0.0.1:7460" } ] }
CONF
  nats-server -c "$dir/$host.conf" 2>"$dir/$host.log" &
  pids+=($!)
  printf '[[hosts]]\nid = "%s"\nnats = "nats://127.0.0.1:%s"\n\n' "$host" "$port"
  port=$((port + 1))
done
echo "# hub and ${#@} leaves running (logs in $dir); Ctrl-C stops them"
wait
