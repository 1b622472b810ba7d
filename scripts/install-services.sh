#!/usr/bin/env bash
# Installs the Debian packages whose real services the tests start themselves:
# mosquitto (external broker), influxdb (telemetry store), socat (pty pairs for serial),
# snmpd (a real SNMP peer), chromium (dashboard tests), openssl (test certificates),
# poppler-utils (pdftotext for report checks), systemd (systemd-analyze verify).
# docker-compose: `docker-compose config -q` validates docker-compose.yml (no engine needed).
# Idempotent: only what is missing is installed.
set -euo pipefail

need=()
check() { # check <command> <package>
  command -v "$1" >/dev/null 2>&1 || need+=("$2")
}
check mosquitto mosquitto
check influxd influxdb
check socat socat
check snmpd snmpd
check openssl openssl
check chromium chromium
check pdftotext poppler-utils
check docker-compose docker-compose
check systemd-analyze systemd

if [ ${#need[@]} -eq 0 ]; then
  echo "install-services: everything present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-services: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian starts packaged daemons on install; the tests start their own instances.
for svc in mosquitto influxdb snmpd; do
  $SUDO systemctl stop "$svc" >/dev/null 2>&1 || true
  $SUDO service "$svc" stop >/dev/null 2>&1 || true
done
echo "install-services: done"
