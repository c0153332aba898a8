#!/usr/bin/env bash
# Make sure Redis (127.0.0.1:6379) and MariaDB (127.0.0.1:3306, root without password) answer.
# Developers' and CI machines run both already; this starts them when they are installed but down,
# and installs them from Debian's packages (as root) when they are missing.
set -euo pipefail

redis_up() { python3 -c "import socket; s=socket.create_connection(('127.0.0.1',6379),2); s.sendall(b'PING\r\n'); assert s.recv(16).startswith(b'+PONG')" 2>/dev/null; }
mariadb_up() { python3 -c "import socket; socket.create_connection(('127.0.0.1',3306),2)" 2>/dev/null; }
source "$(dirname "$0")/apt.sh"

if ! redis_up; then
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/event-outcomes.log
  for _ in $(seq 50); do redis_up && break; sleep 0.1; done
  redis_up || { echo "ensure_services: Redis did not start on 127.0.0.1:6379" >&2; exit 1; }
fi

if ! mariadb_up; then
  command -v mariadbd >/dev/null || apt_install mariadb-server
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 100); do mariadb_up && break; sleep 0.2; done
  mariadb_up || { echo "ensure_services: MariaDB did not start on 127.0.0.1:3306" >&2; exit 1; }
fi
echo "services: Redis and MariaDB answer"
