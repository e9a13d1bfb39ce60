# bw_build_dist: builds the distribution (agent/target/bellwatch) when it is missing or older than the sources,
# and sets $bellwatch to its command. Source it after `set -euo pipefail` and after setting $root to the checkout.
bw_build_dist() {
  bellwatch="$root/agent/target/bellwatch/bin/bellwatch"
  local stamp="$root/agent/target/bellwatch/lib/bellwatch-agent-0.1.0-SNAPSHOT.jar"
  if [ ! -f "$stamp" ] || [ -n "$(find "$root/agent/src/main" "$root/console/src/main" "$root/pom.xml" \
      "$root/agent/pom.xml" -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    echo "$(basename "$0"): building the distribution (mvnw package, tests skipped)..." >&2
    (cd "$root" && ./mvnw -q -B -DskipTests package) >&2
  fi
}
