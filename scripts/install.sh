#!/bin/sh
# Installs Bellwatch as a system service on a Linux distribution without the .deb (RHEL, Fedora, SUSE,
# Arch, Alpine...), in the same layout as the package:
#   /usr/share/bellwatch/{bin,lib}     the program (bin/bellwatch + jars); /usr/bin/bellwatch links to it
#   /etc/bellwatch/bellwatch.yaml      the configuration, root:bellwatch 0640; never overwritten
#   /var/lib/bellwatch                 the event store, bellwatch:bellwatch 0700
#   /var/log/bellwatch                 bellwatch:bellwatch 0750
#   /etc/systemd/system/bellwatch.service   (where systemd exists: the place for units no package owns)
#   /usr/lib/sysctl.d/60-bellwatch.conf     UDP receive buffers up to 16 MiB (applied now if lower)
#   /usr/share/doc/bellwatch           README, reference configuration, OpenAPI, operations guide, examples
# and the system user and group `bellwatch`. Running it again upgrades in place (the configuration and
# the data stay). It needs a Java 17+ runtime and libpcap, which it checks but does not install.
#
# Usage, as root, from a checkout with the distribution built (./mvnw -DskipTests package):
#   scripts/install.sh [--dist DIR] [--enable]     install or upgrade; --enable starts it at boot and now
#   scripts/install.sh --uninstall                 remove the program; keep configuration, data and user
#   scripts/install.sh --purge                     remove everything, data and user included
# --dist DIR: the built distribution (bin/ + lib/); default agent/target/bellwatch of this checkout.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
dist=$here/agent/target/bellwatch
action=install
enable=0
while [ $# -gt 0 ]; do
  case $1 in
    --dist) dist=$2; shift ;;
    --enable) enable=1 ;;
    --uninstall) action=uninstall ;;
    --purge) action=purge ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root" >&2
  exit 1
fi

share=/usr/share/bellwatch
doc=/usr/share/doc/bellwatch
unit=/etc/systemd/system/bellwatch.service
sysctl_conf=/usr/lib/sysctl.d/60-bellwatch.conf
systemd_running=0
[ -d /run/systemd/system ] && systemd_running=1

has_group() { grep -q '^bellwatch:' /etc/group; }
has_user() { grep -q '^bellwatch:' /etc/passwd; }

remove_program() {
  if [ "$systemd_running" = 1 ] && [ -e "$unit" ]; then
    systemctl disable --now bellwatch.service >/dev/null 2>&1 || true
  fi
  rm -f "$unit" /usr/bin/bellwatch "$sysctl_conf"
  rm -rf "$share" "$doc"
  [ "$systemd_running" = 1 ] && systemctl daemon-reload || true
}

case $action in
  uninstall)
    remove_program
    echo "install.sh: removed the program; kept /etc/bellwatch, /var/lib/bellwatch, /var/log/bellwatch and the user"
    exit 0
    ;;
  purge)
    remove_program
    rm -rf /etc/bellwatch /var/lib/bellwatch /var/log/bellwatch
    if has_user; then
      if command -v userdel >/dev/null 2>&1; then userdel bellwatch; else deluser bellwatch; fi
    fi
    if has_group; then
      if command -v groupdel >/dev/null 2>&1; then groupdel bellwatch; else delgroup bellwatch; fi
    fi
    echo "install.sh: removed Bellwatch, its configuration, data, logs and user"
    exit 0
    ;;
esac

if [ ! -x "$dist/bin/bellwatch" ] || ! ls "$dist"/lib/*.jar >/dev/null 2>&1; then
  echo "install.sh: no distribution in $dist: build it first (./mvnw -DskipTests package) or pass --dist DIR" >&2
  exit 1
fi
for f in "$here/systemd/bellwatch.service" "$here/systemd/60-bellwatch.conf" "$here/agent/src/deb/bellwatch.yaml"; do
  [ -f "$f" ] || { echo "install.sh: $f is missing: run this script from a Bellwatch checkout" >&2; exit 1; }
done

# Requirements, checked, not installed: package names differ between distributions.
java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then
  echo "install.sh: warning: no Java 17+ runtime on PATH (install your distribution's OpenJDK 17 or newer)" >&2
fi
if ! { ldconfig -p 2>/dev/null | grep -q 'libpcap\.so'; } && ! ls /usr/lib*/libpcap.so* /lib*/libpcap.so* >/dev/null 2>&1; then
  echo "install.sh: warning: libpcap not found (needed for live capture: install libpcap)" >&2
fi

if ! command -v openssl >/dev/null 2>&1; then
  echo "install.sh: openssl is missing (it makes the console's certificate): install openssl" >&2
  exit 1
fi

# The system user and group.
nologin=$(command -v nologin 2>/dev/null || echo /sbin/nologin)
if ! has_group; then
  if command -v groupadd >/dev/null 2>&1; then groupadd --system bellwatch; else addgroup -S bellwatch; fi
fi
if ! has_user; then
  if command -v useradd >/dev/null 2>&1; then
    useradd --system --gid bellwatch --home-dir /var/lib/bellwatch --no-create-home --shell "$nologin" \
      --comment "Bellwatch agent" bellwatch
  else
    adduser -S -D -H -h /var/lib/bellwatch -s "$nologin" -G bellwatch -g "Bellwatch agent" bellwatch
  fi
fi

# The program. Old jars go first: an upgrade must not leave a previous version on the classpath.
install -d -m 0755 "$share/bin" "$share/lib"
rm -f "$share"/lib/*.jar
install -m 0644 "$dist"/lib/*.jar "$share/lib/"
install -m 0755 "$dist/bin/bellwatch" "$share/bin/bellwatch"
ln -sfn "$share/bin/bellwatch" /usr/bin/bellwatch

# Documentation.
install -d -m 0755 "$doc/examples"
for f in README.md docs/operations.md config/bellwatch.reference.yaml config/openapi.yaml; do
  [ -f "$here/$f" ] && install -m 0644 "$here/$f" "$doc/"
done
install -m 0644 "$here/config/grafana/bellwatch.json" "$here/config/prometheus/prometheus.yml" \
  "$here/config/prometheus/bellwatch.rules.yml" "$doc/examples/"

# Configuration: installed once; later runs leave the administrator's file alone and put the current
# template beside it when it differs.
install -d -m 0750 -o root -g bellwatch /etc/bellwatch
if [ ! -e /etc/bellwatch/bellwatch.yaml ]; then
  install -m 0640 -o root -g bellwatch "$here/agent/src/deb/bellwatch.yaml" /etc/bellwatch/bellwatch.yaml
elif ! cmp -s "$here/agent/src/deb/bellwatch.yaml" /etc/bellwatch/bellwatch.yaml; then
  install -m 0640 -o root -g bellwatch "$here/agent/src/deb/bellwatch.yaml" /etc/bellwatch/bellwatch.yaml.dist
fi

# The console's certificate (the configuration names it), as the .deb's postinst makes it: self-signed,
# once, when neither file exists; the key root:bellwatch 0640.
tls=/etc/bellwatch/tls
if [ ! -e "$tls/console.crt" ] && [ ! -e "$tls/console.key" ]; then
  install -d -o root -g bellwatch -m 0750 "$tls"
  host=$(hostname -f 2>/dev/null || hostname 2>/dev/null || echo localhost)
  san="DNS:localhost,IP:127.0.0.1,IP:::1"
  case "$host" in localhost|"") ;; *) san="DNS:$host,$san" ;; esac
  # Its own minimal openssl.cnf: the system's (/etc/ssl/openssl.cnf) may be missing or edited.
  cnf=$(mktemp)
  printf '[req]\ndistinguished_name = dn\n[dn]\n' >"$cnf"
  (umask 077 && openssl req -config "$cnf" -x509 -newkey rsa:3072 -nodes -sha256 -days 825 -subj "/CN=$host" \
    -addext "subjectAltName=$san" -keyout "$tls/console.key" -out "$tls/console.crt" 2>/dev/null) \
    || { rm -f "$cnf"; echo "bellwatch: openssl could not make the console's certificate" >&2; exit 1; }
  rm -f "$cnf"
  chown root:bellwatch "$tls/console.key" "$tls/console.crt"
  chmod 0640 "$tls/console.key"
  chmod 0644 "$tls/console.crt"
fi

# State and logs.
install -d -m 0700 -o bellwatch -g bellwatch /var/lib/bellwatch
install -d -m 0750 -o bellwatch -g bellwatch /var/log/bellwatch

# UDP receive buffers (see the file): for every boot, and now if the running value is lower.
install -d -m 0755 "$(dirname "$sysctl_conf")"
install -m 0644 "$here/systemd/60-bellwatch.conf" "$sysctl_conf"
if command -v sysctl >/dev/null 2>&1; then
  want=$(sed -n 's/^net\.core\.rmem_max *= *//p' "$sysctl_conf")
  rmem=$(sysctl -n net.core.rmem_max 2>/dev/null || echo 0)
  if [ -n "$want" ] && [ "$rmem" -lt "$want" ] 2>/dev/null; then
    sysctl -q -w net.core.rmem_max="$want" >/dev/null 2>&1 || true
  fi
fi

# The service.
if [ -d /etc/systemd/system ]; then
  install -m 0644 "$here/systemd/bellwatch.service" "$unit"
  if [ "$systemd_running" = 1 ]; then
    systemctl daemon-reload
    if [ "$enable" = 1 ]; then
      systemctl enable --now bellwatch.service
    elif systemctl --quiet is-active bellwatch.service; then
      systemctl restart bellwatch.service
    fi
  fi
else
  echo "install.sh: no systemd here: start it with your init system as user bellwatch:" >&2
  echo "  /usr/share/bellwatch/bin/bellwatch run --config /etc/bellwatch/bellwatch.yaml" >&2
  echo "  (capture and port 514 need CAP_NET_RAW, CAP_NET_ADMIN and CAP_NET_BIND_SERVICE)" >&2
fi
echo "install.sh: installed; edit /etc/bellwatch/bellwatch.yaml, then: bellwatch check-config --config /etc/bellwatch/bellwatch.yaml"
