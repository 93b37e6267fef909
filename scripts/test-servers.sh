#!/usr/bin/env bash
# The remote tests start real servers on loopback: OpenSSH's sshd, nginx with fcgiwrap (in front of
# git http-backend), tinyproxy (an HTTP proxy in front of nginx) and git daemon. The completion tests
# run zsh and fish (bash is there). The browser tests drive Debian's chromium through chromium-driver.
# Install the Debian packages they need when they are missing.
set -euo pipefail
missing=()
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/sbin/fcgiwrap ] || missing+=(fcgiwrap)
command -v tinyproxy >/dev/null || [ -x /usr/bin/tinyproxy ] || missing+=(tinyproxy)
command -v openssl >/dev/null || missing+=(openssl)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
command -v zsh >/dev/null || missing+=(zsh)
command -v fish >/dev/null || missing+=(fish)
browser=()
command -v chromium >/dev/null || browser+=(chromium)
[ -x /usr/bin/chromedriver ] || browser+=(chromium-driver)
[ ${#missing[@]} -eq 0 ] && [ ${#browser[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    if [ ${#missing[@]} -gt 0 ]; then
        echo "the remote and completion tests need: ${missing[*]} (Debian packages); install them, then run make test again" >&2
        exit 1
    fi
    echo "the browser tests will be skipped: they need ${browser[*]} (Debian packages), which only root can install here" >&2
    exit 0
fi
echo "installing for the tests: ${missing[*]} ${browser[*]}" >&2
# Install without starting the services: the tests start their own, on free loopback ports.
made_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
fi
apt-get update -qq >/dev/null
if [ ${#missing[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ${#browser[@]} -gt 0 ] && ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${browser[@]}" >/dev/null; then
    echo "the browser tests will be skipped: apt-get could not install ${browser[*]}" >&2
fi
[ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
exit 0
