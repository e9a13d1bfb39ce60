# Shell functions shared by the benchmark and soak scripts (scripts/bench-live, scripts/bench-syslog,
# scripts/bench-syslog-cpu, scripts/soak). Source it after `set -euo pipefail` and after setting $root to the checkout.

# bw_tool COMMAND [PACKAGE]: installs PACKAGE (default COMMAND) with apt-get when COMMAND is missing.
bw_tool() {
  command -v "$1" >/dev/null && return 0
  local sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_=sudo
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -q "${2:-$1}" >&2
}

# bw_settle COMMAND [TRIES] [PAUSE]: runs COMMAND every PAUSE seconds (default 0.5) until its output stops
# changing, at most TRIES times (default 120), and prints the last output: a counter once the input has drained.
bw_settle() {
  local prev=-1 cur
  for _ in $(seq "${2:-120}"); do cur=$($1); [ "$cur" = "$prev" ] && break; prev=$cur; sleep "${3:-0.5}"; done
  echo "$cur"
}

# bw_build_bench: builds agent/target/benchmarks.jar and the distribution when either is missing or older
# than the sources. Sets $bench_jar and $bellwatch.
bw_build_bench() {
  bench_jar="$root/agent/target/benchmarks.jar"
  bellwatch="$root/agent/target/bellwatch/bin/bellwatch"
  if [ ! -f "$bench_jar" ] || [ ! -x "$bellwatch" ] || [ -n "$(find "$root/agent/src/main" "$root/agent/src/jmh" \
      "$root/console/src/main" "$root/pom.xml" "$root/agent/pom.xml" -newer "$bench_jar" -print -quit)" ]; then
    echo "$(basename "$0"): building (mvnw -Pbenchmarks package, tests skipped)..." >&2
    (cd "$root" && ./mvnw -q -B -Pbenchmarks -DskipTests package) >&2
  fi
}

# bw_free_ports TCP UDP: prints TCP free loopback TCP ports, then UDP free UDP ports, on one line.
bw_free_ports() {
  python3 - "$1" "$2" <<'PY'
import socket, sys
socks = []
def free(kind):
    s = socket.socket(socket.AF_INET, kind); s.bind(("127.0.0.1", 0)); socks.append(s); return s.getsockname()[1]
print(*[free(socket.SOCK_STREAM) for _ in range(int(sys.argv[1]))], *[free(socket.SOCK_DGRAM) for _ in range(int(sys.argv[2]))])
PY
}

# bw_veth NS CAP SEND: a network namespace NS and a veth pair: CAP stays here (the agent captures it), SEND
# goes into NS (tcpreplay writes to it). IPv6 is off on both ends and neither has an address, so the kernel
# sends nothing of its own (router solicitations, MLD reports) and every frame on CAP is one tcpreplay sent.
bw_veth() {
  ip netns add "$1"
  ip link add "$2" type veth peer name "$3"
  ip link set "$3" netns "$1"
  sysctl -q -w "net.ipv6.conf.$2.disable_ipv6=1"
  ip netns exec "$1" sysctl -q -w "net.ipv6.conf.$3.disable_ipv6=1"
  ip link set "$2" up
  ip -n "$1" link set "$3" up
}

# bw_veth_del NS CAP: undoes bw_veth (deleting one end deletes the pair).
bw_veth_del() {
  ip link del "$2" 2>/dev/null || true
  ip netns del "$1" 2>/dev/null || true
}

# bw_wait_health PORT LOG: waits up to 30 s for the agent's /health on PORT; on failure prints LOG and fails.
bw_wait_health() {
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$1/health" >/dev/null && return 0; sleep 0.2; done
  echo "$(basename "$0"): the agent did not start:" >&2; cat "$2" >&2; return 1
}

# bw_metric PORT NAME [FILTER]: the agent's metric NAME summed over its label sets (those containing FILTER),
# as a whole number.
bw_metric() {
  curl -s "http://127.0.0.1:$1/metrics" | bw_metric_in "$2" "${3:-}"
}

# bw_metric_in NAME [FILTER] [FORMAT]: as bw_metric, over a /metrics text on standard input (one scrape, many
# reads), printed with the printf FORMAT (default %.0f).
bw_metric_in() {
  # Label values may hold spaces (gc="G1 Young Generation"): the value is the last field of the line.
  awk -v m="$1" -v f="${2:-}" -v fmt="${3:-%.0f}" 'index($0, m) == 1 && substr($0, length(m) + 1, 1) ~ /[{ ]/ &&
    index($0, f) > 0 {s += $NF} END {printf fmt, s}'
}

# bw_udp_drops PORT...: the receive drops of the UDP sockets bound to these ports, summed, from /proc/net/udp
# and /proc/net/udp6 (last column; Netty's epoll sockets are dual-stack, so the agent's show up in udp6).
bw_udp_drops() {
  local hex=""; for p in "$@"; do hex="$hex $(printf '%04X' "$p")"; done
  awk -v ports="$hex" 'FNR > 1 {split($2, a, ":"); if (index(ports, a[2]) > 0) s += $NF} END {print s + 0}' \
    /proc/net/udp /proc/net/udp6
}

# bw_machine: one line naming the machine, for the top of a benchmark's output.
bw_machine() {
  echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(java -version 2>&1 | head -1)"
}

# bw_syslog_agent_config WORK WEB_PORT FORTI_PORT SQUID_PORT RCVBUF [JOURNAL]: writes WORK/bellwatch.yaml, the agent
# of the syslog benchmarks: two UDP listeners on loopback (fortigate, squid), no schedule, the store in WORK/store;
# JOURNAL, when given, is the value of the journal key (for example "{enabled: false}").
bw_syslog_agent_config() {
  cat > "$1/bellwatch.yaml" <<YAML
site: {timezone: America/Chicago}
store: {dir: $1/store}
${6:+journal: $6}
web: {port: $2}
syslog:
  # The load generator is one sender: sender_rate_per_sec 0 so that the figures measure the listener, not
  # the per-sender limit.
  listeners:
    - {name: forti, protocol: udp, bind: 127.0.0.1, port: $3, vendor: fortigate, allow: [127.0.0.1/32], receive_buffer_bytes: $5, sender_rate_per_sec: 0}
    - {name: squid, protocol: udp, bind: 127.0.0.1, port: $4, vendor: squid, allow: [127.0.0.1/32], receive_buffer_bytes: $5, sender_rate_per_sec: 0}
YAML
}

# bw_unit_env: the shipped systemd unit's Environment= assignments (JAVA_OPTS, MALLOC_ARENA_MAX, ...), one
# NAME=VALUE a line without systemd's quotes, for `env` to run the agent as the unit would.
bw_unit_env() {
  sed -n 's/^Environment=//p' "$root/systemd/bellwatch.service" | sed 's/^"\(.*\)"$/\1/'
}
