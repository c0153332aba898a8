# Sourced by the ensure_* scripts: install Debian packages as root, quietly; apt's lists are
# refreshed only when the first try fails (a fresh machine has none, or old ones).
apt_install() {
  if [ "$(id -u)" != 0 ]; then echo "$(basename "$0"): $* missing; install it (apt-get install $*)" >&2; return 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}
