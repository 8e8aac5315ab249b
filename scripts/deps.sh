#!/usr/bin/env bash
# Installs what depeche needs on a Debian machine, only when it is missing:
# Go modules, and for the offline engine Apertium with the fr-es and eng-spa
# pairs and the FreeDict French→English and French→Spanish dictionaries.
# Safe to run repeatedly; prints one clear line when it cannot install.
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

have_dicts() {
  [ -e /usr/share/dictd/freedict-fra-eng.index ] &&
    [ -e /usr/share/dictd/freedict-fra-spa.index ]
}

sudo=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; fi
updated=""

# install PACKAGES WITHOUT: apt-get install, saying what is lost if it fails.
install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: apt-get not found: install $1 by hand; without them $2" >&2
    return
  fi
  echo "deps: installing $1" >&2
  if [ -z "$updated" ]; then $sudo apt-get update -qq >/tmp/depeche-apt.log 2>&1 || true; updated=1; fi
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $1 >>/tmp/depeche-apt.log 2>&1; then
    echo "deps: could not install $1 (see /tmp/depeche-apt.log); $2" >&2
  fi
}

have_apertium || install "apertium apertium-fr-es apertium-eng-spa" \
  "the offline engine is unavailable and its tests are skipped"
have_dicts || install "dict-freedict-fra-eng dict-freedict-fra-spa" \
  "the offline engine leaves more words in French (its dictionary tests are skipped)"

# test_install is install for what only the tests need (the runtime image
# leaves it out): Debian's chromium opens briefing.html in a real browser.
test_install() { install "$@"; }
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || test_install "chromium" \
  "the briefing.html browser tests are skipped (its structure tests still run)"

go mod download
