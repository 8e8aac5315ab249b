#!/usr/bin/env bash
# Installs what depeche needs on a Debian machine, only when it is missing:
# Go modules, and Apertium with the fr-es and eng-spa pairs for the offline
# engine. Safe to run repeatedly; prints one clear line when it cannot install.
set -euo pipefail

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    export PATH="/usr/local/go/bin:$PATH"
  else
    echo "deps: Go is not installed: install Go 1.23+ (https://go.dev/dl) or 'apt-get install golang'" >&2
    exit 1
  fi
fi

have_apertium() {
  command -v apertium >/dev/null 2>&1 &&
    [ -e /usr/share/apertium/modes/fr-es.mode ] &&
    [ -e /usr/share/apertium/modes/spa-eng.mode ]
}

if ! have_apertium; then
  pkgs="apertium apertium-fr-es apertium-eng-spa"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; fi
  fi
  if command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing $pkgs (offline engine)" >&2
    if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $pkgs; } >/tmp/depeche-apt.log 2>&1; then
      echo "deps: could not install $pkgs (see /tmp/depeche-apt.log); the offline engine will be unavailable and its tests skipped" >&2
    fi
  else
    echo "deps: apt-get not found: install Apertium with the fr-es and eng-spa pairs by hand for the offline engine" >&2
  fi
fi

go mod download
