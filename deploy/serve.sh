#!/usr/bin/env bash
# Production serving in the foreground: gunicorn on a private unix socket (its master first
# runs the preflight: check --deploy, migrate and collectstatic only when needed) and nginx on
# $HOST:$PORT in front of it. Ctrl-C or TERM stops both; if either stops, the other is stopped too.
#
#   HOST             address nginx listens on (default 127.0.0.1; 0.0.0.0 for every interface)
#   PORT             its port (default 8000)
#   WEB_CONCURRENCY  gunicorn workers (default 2 x cores + 1, deploy/gunicorn.conf.py)
#   NGINX            the nginx binary (default: nginx on PATH, else /usr/sbin/nginx)
#   WSGI_APP         the WSGI module gunicorn serves (default reflect.wsgi; bench/http_pages.py
#                    serves its ceiling project, bench/ceiling, the same way)
# plus the app's own settings (README, Configuration), which must pass check --deploy.
set -euo pipefail
cd "$(dirname "$0")/.."

GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
# nginx appends the client's address to X-Forwarded-For: the login throttle reads it there.
# Behind one more proxy (a TLS terminator that appends too), set 2.
export TRUSTED_PROXY_COUNT=${TRUSTED_PROXY_COUNT:-1}

if [ ! -x "$NGINX" ]; then
  echo "serve: nginx not found ($NGINX). Install it (Debian: apt-get install nginx) or set NGINX=." >&2
  exit 1
fi

# The preflight (deploy/preflight.py) runs inside gunicorn's master, before it loads the app
# (deploy/gunicorn.conf.py): one Django start-up instead of two. If it refuses, gunicorn
# exits with its message and nothing is served.
export REFLECT_PREFLIGHT=1

runtime=$(mktemp -d "${TMPDIR:-/tmp}/reflect-serve.XXXXXX")
# As root, nginx's workers run as an unprivileged user and must reach the socket: let them
# traverse (not list) the folder. Otherwise only this user can.
if [ "$(id -u)" = 0 ]; then chmod 711 "$runtime"; fi
listen=$HOST
case $HOST in *:*) listen="[$HOST]" ;; esac
sed -e "s|@HOST@|$listen|g" -e "s|@PORT@|$PORT|g" -e "s|@RUNTIME@|$runtime|g" \
  deploy/nginx.conf >"$runtime/nginx.conf"

gunicorn_pid=
nginx_pid=
stop() {
  trap - INT TERM EXIT
  [ -n "$nginx_pid" ] && kill -TERM "$nginx_pid" 2>/dev/null
  [ -n "$gunicorn_pid" ] && kill -TERM "$gunicorn_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$runtime"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

"$GUNICORN" "${WSGI_APP:-reflect.wsgi}" --config deploy/gunicorn.conf.py --bind "unix:$runtime/gunicorn.sock" &
gunicorn_pid=$!
# nginx answers 502 until the socket exists: start it once gunicorn listens.
# (The preflight may first apply migrations, however long they take.)
until [ -S "$runtime/gunicorn.sock" ]; do
  kill -0 "$gunicorn_pid" 2>/dev/null || { echo "serve: gunicorn did not start" >&2; exit 1; }
  sleep 0.05
done
"$NGINX" -p "$runtime" -c "$runtime/nginx.conf" -e stderr &
nginx_pid=$!
sleep 0.2
kill -0 "$nginx_pid" 2>/dev/null || { echo "serve: nginx did not start" >&2; exit 1; }
echo "serve: http://$listen:$PORT/ (nginx, gunicorn ${WEB_CONCURRENCY:-$((2 * $(nproc) + 1))} sync workers)"

# Whichever ends first ends the other (the EXIT trap).
wait -n "$gunicorn_pid" "$nginx_pid"
