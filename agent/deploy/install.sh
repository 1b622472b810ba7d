#!/usr/bin/env bash
# Installs (or re-installs) the ledwatch agent from a release tarball:
#   sudo agent/deploy/install.sh <ledwatch-agent.tgz> [--root /opt/ledwatch-agent]
#        [--config /etc/ledwatch/agent.yaml] [--data /var/lib/ledwatch-agent]
#        [--skip-deps] [--no-systemd] [--no-user]
# Unpacks the version side by side under <root>/versions/<version>, points <root>/current
# at it (atomically), installs the third-party dependencies once into <root>/node_modules
# (npm, from the tarball's package.json; @ledwatch/* packages travel inside each version),
# creates the `ledwatch` system user and enables ledwatch-agent.service.
# Later versions arrive as signed upgrades from the hub; see agent/deploy/README.md.
set -euo pipefail

tarball=""
root=/opt/ledwatch-agent
config=/etc/ledwatch/agent.yaml
data=/var/lib/ledwatch-agent
deps=1 systemd=1 user=1
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="$2"; shift 2 ;;
    --config) config="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --skip-deps) deps=0; shift ;;
    --no-systemd) systemd=0; shift ;;
    --no-user) user=0; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    *) tarball="$1"; shift ;;
  esac
done
if [ -z "$tarball" ] || [ ! -f "$tarball" ]; then
  echo "install.sh: give the release tarball (e.g. ledwatch-agent-0.2.0.tgz)" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"

mkdir -p "$root/versions"
stage="$(mktemp -d "$root/.install.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
# `npm pack` tarballs hold a leading package/ folder; release tarballs do not.
strip=0
if tar -tzf "$tarball" | grep -q '^package/package.json$'; then strip=1; fi
tar -xzf "$tarball" -C "$stage" --no-same-owner --strip-components="$strip"
if [ ! -f "$stage/package.json" ] || [ ! -f "$stage/bin/ledwatch-agent.js" ]; then
  echo "install.sh: $tarball is not an agent release (no package.json or bin/ledwatch-agent.js)" >&2
  exit 1
fi
version="$(node -p "require('$stage/package.json').version")"
rm -rf "$root/versions/$version"
mv "$stage" "$root/versions/$version"
trap - EXIT
ln -sfn "versions/$version" "$root/.current.new"
mv -T "$root/.current.new" "$root/current"
echo "install.sh: agent $version installed in $root/versions/$version; current -> versions/$version"

if [ "$deps" = 1 ]; then
  # Third-party dependencies, shared by every version (Node looks in <root>/node_modules).
  node -e '
    const pkg = require(process.argv[1]);
    const deps = Object.fromEntries(Object.entries(pkg.dependencies || {}).filter(([n]) => !n.startsWith("@ledwatch/")));
    require("fs").writeFileSync(process.argv[2], JSON.stringify({ name: "ledwatch-agent-root", private: true, dependencies: deps }, null, 2));
  ' "$root/versions/$version/package.json" "$root/package.json"
  (cd "$root" && npm install --omit=dev --no-audit --no-fund)
fi

if [ "$user" = 1 ]; then
  id ledwatch >/dev/null 2>&1 || useradd --system --home-dir "$data" --shell /usr/sbin/nologin ledwatch
  usermod -aG dialout ledwatch || true
  mkdir -p "$data" "$(dirname "$config")"
  chown -R ledwatch:ledwatch "$root" "$data"
fi

if [ "$systemd" = 1 ]; then
  install -m 0644 "$here/ledwatch-agent.service" /etc/systemd/system/ledwatch-agent.service
  systemctl daemon-reload
  if [ -f "$config" ]; then
    systemctl enable --now ledwatch-agent.service
  else
    echo "install.sh: write $config (agentId, secret, hub.url, updates.publicKeys from provisioning), then: systemctl enable --now ledwatch-agent"
  fi
fi
