#!/usr/bin/env bash
# bench/http.sh - HTTP throughput and latency of Créneau next to nginx.
#
# A benchmark, not a test: it measures and prints, and fails only when a
# server cannot be started or wrk cannot run. Run from the repository root
# (`make bench` installs wrk and nginx-light, builds, then runs this).
# Loopback only.
#
# Targets, each hit by wrk after a short warm-up:
#   creneau /healthz   JSON, pings SQLite
#   creneau /readyz    small JSON, no database
#   nginx   /readyz    static file, same bytes as Créneau's /readyz body
#   creneau GET slots  the slot search of the demo school's manager, signed
#                      in (session, CSRF cookie, roles, grants): the
#                      demo's free 44/B slots, up to 50
#   nginx   slots      static file, the very bytes of that answer
# For Créneau's targets it also prints the server's CPU per request (user
# + system time of the server process over the measured run, from
# /proc/PID/stat, divided by the requests wrk completed).
#
# Knobs (environment):
#   THREADS=2      Créneau [http] threads and nginx worker_processes
#   CONNS=64       wrk connections
#   DURATION=10s   wrk duration per target
#   WARMUP=2s      wrk warm-up per target (results discarded)
#   WRK_THREADS=2  wrk threads
#   VERBOSE=1      also print wrk's raw output
set -eu

THREADS="${THREADS:-2}"
CONNS="${CONNS:-64}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-2s}"
WRK_THREADS="${WRK_THREADS:-2}"
VERBOSE="${VERBOSE:-0}"
CRENEAU="${CRENEAU:-build/creneau}"
NGINX="${NGINX:-/usr/sbin/nginx}"

die() {
	echo "bench/http.sh: $*" >&2
	exit 1
}

for tool in wrk curl "$NGINX" "$CRENEAU"; do
	command -v "$tool" >/dev/null 2>&1 ||
		die "'$tool' not found (run 'make bench', which installs wrk and nginx-light and builds)"
done

# wrk and nginx need one descriptor per connection.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

tmp="$(mktemp -d "${TMPDIR:-/tmp}/creneau-bench.XXXXXX")"
creneau_pid=""
nginx_pid=""
wrk_pid=""

stop() {
	# $1: pid. TERM, wait up to ~5 s, then KILL.
	local pid="$1" i
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	set +e
	stop "$wrk_pid"
	stop "$creneau_pid"
	stop "$nginx_pid"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free loopback port: the kernel's pick for port 0, then released. The
# window before the server binds it is small; a lost race shows as a start
# failure below.
free_port() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
		return
	fi
	local p i
	for i in $(seq 100); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	die "no free port found"
}

# wait_http URL PID NAME LOG: until URL answers 2xx, or PID dies, or 10 s.
wait_http() {
	local url="$1" pid="$2" name="$3" log="$4" i
	for i in $(seq 100); do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "bench/http.sh: $name exited during start-up; its log:" >&2
			sed 's/^/  | /' "$log" >&2 || true
			die "$name failed to start"
		fi
		if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "bench/http.sh: $name did not answer $url within 10 s; its log:" >&2
	sed 's/^/  | /' "$log" >&2 || true
	die "$name failed to start"
}

# --- Créneau ----------------------------------------------------------------

# Créneau refuses any CRENEAU_ variable that names no key: start it from a
# clean slate so the caller's environment cannot change what is measured.
for v in $(compgen -e); do
	case "$v" in CRENEAU_*) unset "$v" ;; esac
done

cport="$(free_port)"
cenv=(
	CRENEAU_HTTP_LISTEN="127.0.0.1:$cport"
	CRENEAU_STORE_PATH="$tmp/bench.db"
	CRENEAU_HTTP_ACCESS_LOG=off
	CRENEAU_LOG_LEVEL=warn
	CRENEAU_HTTP_PER_IP_CONNECTIONS=1024
	CRENEAU_HTTP_THREADS="$THREADS"
	# One employee's searches, thousands a second: the per-school and
	# per-employee limits would answer 429 after a few hundred.
	CRENEAU_RATELIMIT_SCHOOL_PER_MINUTE=0
	CRENEAU_RATELIMIT_EMPLOYEE_PER_MINUTE=0
	CRENEAU_JOBS_ENABLED=off
)
# serve wants a master key (beside the database, in $tmp) when the build
# has one.
if "$CRENEAU" keys --help >/dev/null 2>&1; then
	env "${cenv[@]}" "$CRENEAU" keys init >"$tmp/keys.log" 2>&1 || {
		sed 's/^/  | /' "$tmp/keys.log" >&2
		die "creneau failed to start: 'creneau keys init' failed"
	}
fi
# The demo data: the school manager whose slot search is measured.
env "${cenv[@]}" "$CRENEAU" demo-data >"$tmp/demo.log" 2>&1 || {
	sed 's/^/  | /' "$tmp/demo.log" >&2
	die "'creneau demo-data' failed"
}
manager_pw="$(awk '$2 == "gestion@tilleuls.example" { print $3; exit }' "$tmp/demo.log")"
[ -n "$manager_pw" ] || die "demo-data printed no password for gestion@tilleuls.example"
# env execs the server: $! is the server's own pid.
env "${cenv[@]}" "$CRENEAU" serve >"$tmp/creneau.log" 2>&1 &
creneau_pid=$!
wait_http "http://127.0.0.1:$cport/healthz" "$creneau_pid" "creneau" "$tmp/creneau.log"
cookie="$(python3 bench/signin.py "http://127.0.0.1:$cport" gestion@tilleuls.example "$manager_pw")" ||
	die "the school manager could not sign in (bench/signin.py)"
slots_path="/api/v1/slots?department=44&category=B&limit=50"

# --- nginx ------------------------------------------------------------------

mkdir -p "$tmp/www" "$tmp/nginx-temp"
# The very bytes Créneau answers on /readyz, so both bodies are equal.
curl -fsS -o "$tmp/www/readyz" "http://127.0.0.1:$cport/readyz" ||
	die "creneau /readyz did not answer 200"
# And of the slot search.
curl -fsS -H "Cookie: $cookie" -o "$tmp/www/slots" "http://127.0.0.1:$cport$slots_path" ||
	die "creneau's slot search did not answer 200"
nslots="$(grep -o '"id":' "$tmp/www/slots" | wc -l)"

nport="$(free_port)"
# Enough for every wrk connection landing on one worker, within the
# open-file limit (raised to its hard ceiling above).
worker_connections=$((CONNS + 64))
[ "$worker_connections" -ge 512 ] || worker_connections=512
user_line=""
if [ "$(id -u)" -eq 0 ]; then
	# nginx would otherwise drop its workers to 'nobody', who cannot
	# read the (private) temporary directory.
	user_line="user $(id -un) $(id -gn);"
fi
cat >"$tmp/nginx.conf" <<EOF
$user_line
worker_processes $THREADS;
daemon off;
master_process on;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
lock_file $tmp/nginx.lock;

events {
	worker_connections $worker_connections;
}

http {
	access_log off;
	default_type application/json;
	types { }
	# Like Créneau (libmicrohttpd), never close a kept-alive connection
	# after N requests (nginx's default is 1000).
	keepalive_requests 1000000;
	client_body_temp_path $tmp/nginx-temp/body;
	proxy_temp_path $tmp/nginx-temp/proxy;
	fastcgi_temp_path $tmp/nginx-temp/fastcgi;
	uwsgi_temp_path $tmp/nginx-temp/uwsgi;
	scgi_temp_path $tmp/nginx-temp/scgi;

	server {
		listen 127.0.0.1:$nport;
		root $tmp/www;
	}
}
EOF
"$NGINX" -t -q -p "$tmp" -e "$tmp/nginx-error.log" -c "$tmp/nginx.conf" \
	>"$tmp/nginx-t.log" 2>&1 || {
	sed 's/^/  | /' "$tmp/nginx-t.log" >&2
	die "nginx -t rejected the generated configuration (see above)"
}
"$NGINX" -p "$tmp" -e "$tmp/nginx-error.log" -c "$tmp/nginx.conf" \
	>"$tmp/nginx.out" 2>&1 &
nginx_pid=$!
wait_http "http://127.0.0.1:$nport/readyz" "$nginx_pid" "nginx" "$tmp/nginx-error.log"

# --- runs -------------------------------------------------------------------

# to_ms VALUE: wrk's time ("812.00us", "1.23ms", "2.00s", "1.00m") in ms.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000
		else if (u == "ms") n = n
		else if (u == "s") n *= 1000
		else if (u == "m") n *= 60000
		else if (u == "h") n *= 3600000
		else { print "?"; exit }
		printf "%.3f", n
	}'
}

# bg_wrk ARGS...: wrk, waited for in the background so that a signal
# reaches the traps (and stops wrk) at once. Returns wrk's status.
bg_wrk() {
	local rc=0
	wrk "$@" &
	wrk_pid=$!
	wait "$wrk_pid" || rc=$?
	wrk_pid=""
	return "$rc"
}

# cpu_ticks PID: user + system clock ticks the process has used.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
tick_ms="$(awk -v t="$(getconf CLK_TCK)" 'BEGIN { printf "%.6f", 1000 / t }')"

# run NAME URL [HEADER]: warm-up, measured run; sets rps, p50, p99, errs,
# errdetail, and cpu (the Créneau server's CPU ms per request, "-" for
# nginx).
run() {
	local name="$1" url="$2" out t0 t1 nreq
	local -a hdr=()
	[ $# -ge 3 ] && hdr=(-H "$3")
	out="$tmp/wrk-$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '_').txt"
	bg_wrk -t"$WRK_THREADS" -c"$CONNS" -d"$WARMUP" "${hdr[@]}" "$url" >/dev/null 2>&1 || true
	t0="$(cpu_ticks "$creneau_pid")"
	if ! bg_wrk --latency -t"$WRK_THREADS" -c"$CONNS" -d"$DURATION" "${hdr[@]}" "$url" \
		>"$out" 2>&1; then
		sed 's/^/  | /' "$out" >&2
		die "wrk failed against $url"
	fi
	if [ "$VERBOSE" = 1 ]; then sed "s|^|  [$name] |" "$out"; fi
	rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
	p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
	p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
	# "Socket errors: connect 0, read 0, write 0, timeout 0" and
	# "Non-2xx or 3xx responses: N", both only when non-zero.
	errdetail="$(awk '
		/Socket errors:/ {
			gsub(",", ""); printf "%sconnect=%s read=%s write=%s timeout=%s", sep, $4, $6, $8, $10; sep = " "
		}
		/Non-2xx or 3xx responses:/ { printf "%snon2xx=%s", sep, $NF; sep = " " }' "$out")"
	errs="$(awk '
		/Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 }
		/Non-2xx or 3xx responses:/ { n += $NF }
		END { print n + 0 }' "$out")"
	[ -n "$rps" ] || die "could not read Requests/sec from wrk's output against $url"
	t1="$(cpu_ticks "$creneau_pid")"
	nreq="$(awk '/requests in/ { print $1; exit }' "$out")"
	cpu="-"
	case "$url" in
	*":$cport/"*)
		cpu="$(awk -v a="$t0" -v b="$t1" -v n="$nreq" -v ms="$tick_ms" \
			'BEGIN { if (n > 0) printf "%.3f", (b - a) * ms / n; else print "-" }')" ;;
	esac
}

# measure NAME BASE URL [HEADER]: BASE is the index of the nginx target
# this one is compared with (its own index for nginx itself).
declare -a names rpss p50s p99s errss details cpus bases
measure() {
	local name="$1" base="$2"
	shift 2
	run "$name" "$@"
	names+=("$name")
	bases+=("$base")
	rpss+=("$rps")
	p50s+=("$p50")
	p99s+=("$p99")
	errss+=("$errs")
	details+=("$errdetail")
	cpus+=("$cpu")
}

echo "machine: $(nproc) CPUs ($(uname -m), $(uname -r)), load $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?'); wrk -t$WRK_THREADS -c$CONNS -d$DURATION (warm-up $WARMUP); server threads/workers $THREADS; client and servers share the CPUs"

measure "creneau /healthz" 2 "http://127.0.0.1:$cport/healthz"
measure "creneau /readyz" 2 "http://127.0.0.1:$cport/readyz"
measure "nginx static" 2 "http://127.0.0.1:$nport/readyz"
measure "creneau GET slots" 4 "http://127.0.0.1:$cport$slots_path" "Cookie: $cookie"
measure "nginx slots" 4 "http://127.0.0.1:$nport/slots"

echo
echo "slot search: $nslots slots, $(wc -c <"$tmp/www/slots") bytes of JSON, signed in as the demo school's manager"
printf '%-18s %12s %9s %9s %7s  %-12s %s\n' "target" "req/s" "p50 ms" "p99 ms" "errors" "vs nginx" "server CPU ms/req"
for i in "${!names[@]}"; do
	b="${bases[$i]}"
	ratio="$(awk -v a="${rpss[$i]}" -v b="${rpss[$b]}" \
		'BEGIN { if (b > 0) printf "%.2fx nginx", a / b; else print "-" }')"
	printf '%-18s %12.2f %9s %9s %7s  %-12s %s\n' "${names[$i]}" "${rpss[$i]}" \
		"${p50s[$i]}" "${p99s[$i]}" "${errss[$i]}" "$ratio" "${cpus[$i]}"
done

for i in "${!names[@]}"; do
	if [ "${errss[$i]}" != 0 ]; then
		echo "note: ${names[$i]}: wrk reported errors: ${details[$i]}"
	fi
done

# Anything the servers logged at warn or above while under load.
if [ -s "$tmp/creneau.log" ]; then
	echo "note: creneau logged (warn and above):"
	sed -n '1,20s/^/  | /p' "$tmp/creneau.log"
fi
if [ -s "$tmp/nginx-error.log" ]; then
	echo "note: nginx logged (warn and above):"
	sed -n '1,20s/^/  | /p' "$tmp/nginx-error.log"
fi
if ! kill -0 "$creneau_pid" 2>/dev/null; then
	die "creneau exited during the benchmark"
fi
if ! kill -0 "$nginx_pid" 2>/dev/null; then
	die "nginx exited during the benchmark"
fi
