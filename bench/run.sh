#!/usr/bin/env bash
# Side-by-side load benchmark: the same load tool (pylon-bench) drives Mosquitto and Pylon in one run, on
# loopback, each scenario at peak and at a fixed rate. Writes bench/results/<date>[-quick].md and refreshes the
# summary table in bench/README.md. Every process it starts is stopped on exit, by PID.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
BENCH_JAR="$ROOT/pylon-bench/target/pylon-bench.jar"
SERVER_JAR="$ROOT/pylon-server/target/pylon-server.jar"

usage() {
  cat <<'EOF'
Usage: bench/run.sh [options]        (also: ./pylon bench [options])

  --quick                 small message counts and 5,000 idle connections: the whole run takes ~2-4 minutes
  --only mosquitto|pylon  run against one target only (default: both)
  --scenarios LIST        comma-separated subset of: idle,fan-in,fan-out,p2p,shadow,rules (default: all).
                          shadow (Device Shadow updates) and rules (100 topic rules, and the same traffic
                          without rules) run against Pylon only: Mosquitto has neither.
                          A subset writes its page as <date>[-quick]-<scenarios>.md.
  --fixed-rate RATE       publish rate of the fixed-rate runs, msg/s: one number for all scenarios, or
                          scenario=rate pairs (fan-in=50000,p2p=10000). Default: half of Mosquitto's peak
                          publish rate measured earlier in the same run; for rules, half of Pylon's peak
                          with rules.
  --fixed-rounds N        rounds of the fixed-rate runs of fan-in, fan-out and p2p, each round running every
                          target in turn for the fixed duration (default 3, quick 1); the summary shows each
                          target's round of median p99 latency, the results page every round
  --pylon-io-threads N    Pylon's event-loop threads (its io-threads setting); default 0, Pylon's own default
                          of one per core
  --idle-connections N    connections for the idle scenario (default 15000, quick 5000)
  --no-readme             do not touch bench/README.md (a subset of --scenarios never does)
  -h, --help              this text

Environment: BENCH_JAVA_OPTS (load tool JVM), PYLON_JAVA_OPTS (Pylon JVM).
EOF
}

die() { echo "bench: $*${RAW:+ (logs: ${RAW#"$ROOT"/})}" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

RAW=""
QUICK=0
ONLY=""
ALL_SCENARIOS="idle,fan-in,fan-out,p2p,shadow,rules"
SCENARIOS="$ALL_SCENARIOS"
FIXED_RATE=""
FIXED_ROUNDS=""
PYLON_IO_THREADS_ARG=0
IDLE_CONNECTIONS=""
UPDATE_README=1
while (( $# > 0 )); do
  case "$1" in
    --quick) QUICK=1 ;;
    --only) ONLY="${2:?--only needs mosquitto or pylon}"; shift ;;
    --scenarios) SCENARIOS="${2:?--scenarios needs a list}"; shift ;;
    --fixed-rate) FIXED_RATE="${2:?--fixed-rate needs a value}"; shift ;;
    --fixed-rounds) FIXED_ROUNDS="${2:?--fixed-rounds needs a number}"; shift ;;
    --pylon-io-threads) PYLON_IO_THREADS_ARG="${2:?--pylon-io-threads needs a number}"; shift ;;
    --idle-connections) IDLE_CONNECTIONS="${2:?--idle-connections needs a number}"; shift ;;
    --no-readme) UPDATE_README=0 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done

case "$ONLY" in
  "") TARGETS=(mosquitto pylon) ;;
  mosquitto | pylon) TARGETS=("$ONLY") ;;
  *) die "--only takes mosquitto or pylon, not '$ONLY'" ;;
esac
IFS=',' read -r -a SCENARIO_LIST <<<"$SCENARIOS"
for s in "${SCENARIO_LIST[@]}"; do
  case "$s" in idle | fan-in | fan-out | p2p | shadow | rules) ;; *) die "unknown scenario '$s'" ;; esac
done
# Shadows and topic rules are Pylon's alone: a run of nothing else needs no Mosquitto.
PYLON_ONLY=1
for s in "${SCENARIO_LIST[@]}"; do [[ "$s" == shadow || "$s" == rules ]] || PYLON_ONLY=0; done
if (( PYLON_ONLY )) && [[ -z "$ONLY" ]]; then TARGETS=(pylon); fi
WITH_RULES=0
[[ ",$SCENARIOS," == *",rules,"* ]] && WITH_RULES=1

# Sizes. Peak runs are bounded by message count and a duration cap; fixed-rate runs by time.
if (( QUICK )); then
  WARMUP=1; PEAK_CAP=20; FIXED_SECONDS=5; ROUNDS_DEFAULT=1; DRAIN=5; HOLD=3; IDLE_DEFAULT=5000
  FAN_IN_MESSAGES=300000; FAN_OUT_MESSAGES=200; P2P_MESSAGES=100000
else
  WARMUP=3; PEAK_CAP=60; FIXED_SECONDS=15; ROUNDS_DEFAULT=3; DRAIN=10; HOLD=10; IDLE_DEFAULT=15000
  FAN_IN_MESSAGES=2000000; FAN_OUT_MESSAGES=2000; P2P_MESSAGES=500000
fi
FAN_IN_CLIENTS=10; FAN_OUT_CLIENTS=1000; P2P_PAIRS=100
# Shadow: 1,000 devices, one update outstanding each, for a fixed time (the message budget never binds).
# Its own, longer warm-up: the update path (JSON, JDBC, H2) needs about 15 s of load before the server's
# JIT has compiled it; a 3 s warm-up measured a quarter of the warm throughput.
SHADOW_DEVICES=1000; SHADOW_INFLIGHT=1
if (( QUICK )); then SHADOW_WARMUP=5; SHADOW_SECONDS=5; else SHADOW_WARMUP=15; SHADOW_SECONDS=20; fi
# Rules: 100 rules (50 republish, 50 http to the load tool's own HTTP sink), 10 publishers at QoS 1, each
# message matching one rule; then the same traffic without rules. Four runs: both at peak, then both at
# half of the peak with rules. A longer warm-up than the message scenarios': the HTTP path needs it.
RULES=100; RULES_PUBLISHERS=10
if (( QUICK )); then RULES_WARMUP=2; RULES_SECONDS=5; else RULES_WARMUP=5; RULES_SECONDS=10; fi
IDLE_N="${IDLE_CONNECTIONS:-$IDLE_DEFAULT}"
[[ "$IDLE_N" =~ ^[0-9]+$ ]] || die "--idle-connections must be a number"
# Fixed-rate runs alternate the targets for several rounds: drift on a shared machine (other guests, CPU
# frequency) then hits both servers alike, and the summary shows each target's round of median p99.
ROUNDS_N="${FIXED_ROUNDS:-$ROUNDS_DEFAULT}"
[[ "$ROUNDS_N" =~ ^[1-9][0-9]*$ ]] || die "--fixed-rounds must be a positive number"
[[ "$PYLON_IO_THREADS_ARG" =~ ^[0-9]+$ ]] || die "--pylon-io-threads must be a number (0: one per core)"

NOTES=()
# Other work on the machine (builds, test suites) shows up in every figure; record how busy it was.
LOAD="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
NOTES+=("load average at start=$LOAD (1, 5, 15 min)")
# The load tool and the server each hold one end of every idle connection, in separate processes, so each
# needs IDLE_N descriptors plus its own files; fall back to 9,000 when the limit cannot take 15,000.
FD_LIMIT="$(ulimit -n)"
if [[ "$FD_LIMIT" != unlimited ]] && (( IDLE_N + 1000 > FD_LIMIT )); then
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  FD_LIMIT="$(ulimit -n)"
  if [[ "$FD_LIMIT" != unlimited ]] && (( IDLE_N + 1000 > FD_LIMIT )); then
    log "open-file limit $FD_LIMIT does not fit $IDLE_N idle connections; using 9000"
    NOTES+=("idle=9,000 connections: the open-file limit ($FD_LIMIT) does not fit $IDLE_N")
    IDLE_N=9000
  fi
fi

# --- prerequisites ---------------------------------------------------------------------------------------

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v "$JAVA" >/dev/null 2>&1 || JAVA=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
[[ -x "$(command -v "$JAVA")" ]] || die "no java found (set JAVA_HOME)"

MOSQUITTO=""
if [[ " ${TARGETS[*]} " == *" mosquitto "* ]]; then
  MOSQUITTO="$(command -v mosquitto || true)"
  [[ -z "$MOSQUITTO" && -x /usr/sbin/mosquitto ]] && MOSQUITTO=/usr/sbin/mosquitto
  if [[ -z "$MOSQUITTO" ]]; then
    log "installing Debian package mosquitto"
    SUDO=""; [[ "$(id -u)" == 0 ]] || SUDO="sudo -n"
    if [[ -z "$(find /var/lib/apt/lists -maxdepth 0 -mmin -60 2>/dev/null)" ]]; then
      $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q || die "apt-get update failed"
    fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mosquitto \
      || die "apt-get install mosquitto failed"
    MOSQUITTO=/usr/sbin/mosquitto
    [[ -x "$MOSQUITTO" ]] || die "mosquitto is still missing after installing it"
  fi
fi

stale() { # jar...: true when a jar is missing or older than any pom or source file
  local jar
  for jar in "$@"; do
    [[ -f "$jar" ]] || return 0
    [[ -n "$(find "$ROOT" -maxdepth 2 -name pom.xml -newer "$jar" -print -quit)" ]] && return 0
    [[ -n "$(find "$ROOT"/pylon-*/src -newer "$jar" -print -quit 2>/dev/null)" ]] && return 0
  done
  return 1
}
if [[ " ${TARGETS[*]} " == *" pylon "* ]]; then
  if stale "$BENCH_JAR" "$SERVER_JAR"; then
    log "building (./mvnw -q -B -DskipTests install)"
    (cd "$ROOT" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true install)
    touch "$BENCH_JAR" "$SERVER_JAR"
  fi
elif stale "$BENCH_JAR"; then
  log "building the load tool (./mvnw -q -B -DskipTests install -pl pylon-bench -am)"
  (cd "$ROOT" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true install -pl pylon-bench -am)
  touch "$BENCH_JAR"
fi

# --- processes --------------------------------------------------------------------------------------------

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
DAY="$(date -u +%Y-%m-%d)"
RAW="$ROOT/bench/results/raw/$STAMP"
mkdir -p "$RAW"
RESULTS="$RAW/results.jsonl"
: >"$RESULTS"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/pylon-bench.XXXXXX")"

PIDS=()
stop_all() {
  local pid i
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid ignored SIGTERM for 10 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
  cp "$WORK"/*.log "$RAW"/ 2>/dev/null || true
  rm -rf "$WORK"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bench_tool() {
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
  "$JAVA" ${BENCH_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled} \
    -jar "$BENCH_JAR" "$@"
}

wait_for_port() { # port pid seconds name
  local port="$1" pid="$2" seconds="$3" name="$4" i
  for ((i = 0; i < seconds * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$WORK/$name.log" >&2 || true; die "$name exited during start-up"; }
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  tail -n 40 "$WORK/$name.log" >&2 || true
  die "$name did not listen on 127.0.0.1:$port within $seconds s"
}

mapfile -t FREE_PORTS < <(bench_tool free-port --count 3)
(( ${#FREE_PORTS[@]} == 3 )) || die "could not find free loopback ports"
MOSQUITTO_PORT="${FREE_PORTS[0]}"
PYLON_PORT="${FREE_PORTS[1]}"
PYLON_HTTPS_PORT="${FREE_PORTS[2]}"
declare -A PORT PID

if [[ -n "$MOSQUITTO" ]]; then
  cat >"$WORK/mosquitto.conf" <<EOF
per_listener_settings false
allow_anonymous true
listener $MOSQUITTO_PORT 127.0.0.1
persistence false
# Outgoing QoS 1/2 messages queued per client beyond the 20 in flight; the default of 1,000 would silently
# drop messages if a run's window were raised. The bench's own windows stay far below this.
max_queued_messages 10000
log_dest stdout
log_type error
log_type warning
EOF
  "$MOSQUITTO" -c "$WORK/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 &
  PID[mosquitto]=$!
  PIDS+=("${PID[mosquitto]}")
  PORT[mosquitto]=$MOSQUITTO_PORT
  wait_for_port "$MOSQUITTO_PORT" "${PID[mosquitto]}" 10 mosquitto
  MOSQUITTO_VERSION="$("$MOSQUITTO" -h 2>/dev/null | head -n 1 | sed 's/^mosquitto version //' || true)"
  NOTES+=("mosquitto=${MOSQUITTO_VERSION:-unknown} (Debian), pid ${PID[mosquitto]}, port $MOSQUITTO_PORT, max_queued_messages 10000")
  log "mosquitto $MOSQUITTO_VERSION on 127.0.0.1:$MOSQUITTO_PORT (pid ${PID[mosquitto]})"
fi

if [[ " ${TARGETS[*]} " == *" pylon "* ]]; then
  # The listener's flood guard (limits.mqtt.max-connects-per-second, 5,000) would refuse part of the
  # idle scenario's burst of CONNECTs; Mosquitto has no such guard, so it is lifted to compare the two.
  PYLON_ARGS=(--set listeners.mqtts.enabled=false --set "listeners.mqtt.port=$PYLON_PORT"
    --set limits.mqtt.max-connects-per-second=1000000 --set "io-threads=$PYLON_IO_THREADS_ARG")
  if (( WITH_RULES )); then
    # The rules scenario creates its rules over the REST API (HTTPS, SigV4), as the AWS CLI would: fixed
    # admin keys, fresh for each run, so that the load tool knows them.
    # (No 'tr </dev/urandom | head': with pipefail, tr's SIGPIPE would end the script.)
    random="$(head -c 2000 /dev/urandom | LC_ALL=C tr -dc 'A-Z0-9')"
    ADMIN_KEY_ID="BENCH${random:0:15}"
    ADMIN_SECRET="${random:15:40}"
    PYLON_ARGS+=(--set "listeners.https.port=$PYLON_HTTPS_PORT"
      --set "aws.access-key-id=$ADMIN_KEY_ID" --set "aws.secret-access-key=$ADMIN_SECRET")
  else
    PYLON_ARGS+=(--set listeners.https.enabled=false)
  fi
  # ./pylon start execs the JVM, so $! is the server's own PID (what /proc sampling needs).
  "$ROOT/pylon" start --data-dir "$WORK/pylon-data" "${PYLON_ARGS[@]}" >"$WORK/pylon.log" 2>&1 &
  PID[pylon]=$!
  PIDS+=("${PID[pylon]}")
  PORT[pylon]=$PYLON_PORT
  wait_for_port "$PYLON_PORT" "${PID[pylon]}" 120 pylon
  if (( WITH_RULES )); then wait_for_port "$PYLON_HTTPS_PORT" "${PID[pylon]}" 60 pylon; fi
  COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  [[ -z "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ]] || COMMIT="$COMMIT+local changes"
  NOTES+=("pylon=$COMMIT, pid ${PID[pylon]}, port $PYLON_PORT, io-threads $PYLON_IO_THREADS_ARG$( ((PYLON_IO_THREADS_ARG == 0)) && echo ' (one per core)' || true), PYLON_JAVA_OPTS='${PYLON_JAVA_OPTS:-}'")
  log "pylon on 127.0.0.1:$PYLON_PORT (pid ${PID[pylon]})"
fi

# --- scenarios --------------------------------------------------------------------------------------------

run_tool() { # target scenario args...: one load-tool run; a failed run is recorded and the benchmark goes on
  local target="$1" scenario="$2"
  shift 2
  kill -0 "${PID[$target]}" 2>/dev/null || die "$target (pid ${PID[$target]}) is no longer running"
  bench_tool "$scenario" --host 127.0.0.1 --port "${PORT[$target]}" --server-pid "${PID[$target]}" \
    --label "$target" --json-out "$RESULTS" "$@" | tee -a "$RAW/tool.log" | grep --line-buffered -v '^{' || true
}

json_number() { # scenario target mode field: from the last matching result line
  grep -F "\"scenario\":\"$1\",\"target\":\"$2\",\"mode\":\"$3\"" "$RESULTS" | tail -n 1 \
    | sed -nE "s/.*\"$4\":([0-9.]+).*/\\1/p"
}

fixed_rate_for() { # scenario [reference target]: explicit --fixed-rate, else half of the reference's peak
  local scenario="$1" reference="${2:-${TARGETS[0]}}" pair peak
  if [[ -n "$FIXED_RATE" ]]; then
    if [[ "$FIXED_RATE" =~ ^[0-9.]+$ ]]; then echo "$FIXED_RATE"; return; fi
    IFS=',' read -r -a pairs <<<"$FIXED_RATE"
    for pair in "${pairs[@]}"; do
      [[ "${pair%%=*}" == "$scenario" ]] && { echo "${pair#*=}"; return; }
    done
  fi
  peak="$(json_number "$scenario" "$reference" peak publishes_per_s)"
  [[ -n "$peak" ]] || return 0
  awk -v p="$peak" 'BEGIN { r = p / 2; if (r < 1) r = 1; printf "%d", r }'
}

scenario_args() { # scenario
  case "$1" in
    fan-in) echo "--clients $FAN_IN_CLIENTS" ;;
    fan-out) echo "--clients $FAN_OUT_CLIENTS" ;;
    p2p) echo "--clients $P2P_PAIRS" ;;
  esac
}

peak_messages() {
  case "$1" in fan-in) echo "$FAN_IN_MESSAGES" ;; fan-out) echo "$FAN_OUT_MESSAGES" ;; p2p) echo "$P2P_MESSAGES" ;; esac
}

rules_runs() { # the rules scenario: without and with rules, at peak, then at half of the peak with rules
  local rules rate messages
  local rest=(--rest-port "$PYLON_HTTPS_PORT" --rest-cafile "$WORK/pylon-data/ca/root-ca.pem"
    --access-key-id "$ADMIN_KEY_ID" --secret-access-key "$ADMIN_SECRET"
    --clients "$RULES_PUBLISHERS" --qos 1 --warmup "$RULES_WARMUP" --drain-timeout "$DRAIN")
  for rules in 0 "$RULES"; do
    run_tool pylon rules --rules "$rules" "${rest[@]}" --messages 1000000000 --duration "$RULES_SECONDS"
  done
  # The peak with rules is the last peak line of the scenario, so fixed_rate_for halves that one.
  rate="$(fixed_rate_for rules pylon)"
  if [[ -z "$rate" ]]; then
    log "no peak rate for rules; skipping its fixed-rate runs"
    NOTES+=("rules: fixed-rate runs skipped, the peak run with rules failed")
    return
  fi
  messages="$(awk -v r="$rate" -v s="$RULES_SECONDS" 'BEGIN { m = r * s; if (m < 1) m = 1; printf "%d", m }')"
  for rules in 0 "$RULES"; do
    run_tool pylon rules --rules "$rules" "${rest[@]}" --rate "$rate" --messages "$messages" \
      --duration "$((RULES_SECONDS + 5))"
  done
}

START_SECONDS=$SECONDS
for scenario in "${SCENARIO_LIST[@]}"; do
  if [[ "$scenario" == rules ]]; then
    if [[ " ${TARGETS[*]} " != *" pylon "* ]]; then
      log "rules runs against pylon only; skipped"
      NOTES+=("rules: skipped, Mosquitto has no topic rules")
      continue
    fi
    rules_runs
    continue
  fi
  if [[ "$scenario" == shadow ]]; then
    if [[ " ${TARGETS[*]} " != *" pylon "* ]]; then
      log "shadow runs against pylon only; skipped"
      NOTES+=("shadow: skipped, Mosquitto has no Device Shadow service")
      continue
    fi
    run_tool pylon shadow --clients "$SHADOW_DEVICES" --inflight "$SHADOW_INFLIGHT" --qos 1 \
      --messages 1000000000 --warmup "$SHADOW_WARMUP" --duration "$SHADOW_SECONDS" --drain-timeout "$DRAIN"
    continue
  fi
  if [[ "$scenario" == idle ]]; then
    for target in "${TARGETS[@]}"; do
      run_tool "$target" idle --clients "$IDLE_N" --hold "$HOLD" --connect-concurrency 200 --warmup "$WARMUP"
    done
    continue
  fi
  # shellcheck disable=SC2046 # scenario_args is a list of options
  for target in "${TARGETS[@]}"; do
    run_tool "$target" "$scenario" $(scenario_args "$scenario") --messages "$(peak_messages "$scenario")" \
      --warmup "$WARMUP" --duration "$PEAK_CAP" --drain-timeout "$DRAIN"
  done
  rate="$(fixed_rate_for "$scenario")"
  if [[ -z "$rate" ]]; then
    log "no peak rate for $scenario from ${TARGETS[0]}; skipping its fixed-rate runs"
    NOTES+=("$scenario: fixed-rate runs skipped, the reference peak run failed")
    continue
  fi
  messages="$(awk -v r="$rate" -v s="$FIXED_SECONDS" 'BEGIN { m = r * s; if (m < 1) m = 1; printf "%d", m }')"
  for ((round = 1; round <= ROUNDS_N; round++)); do
    for target in "${TARGETS[@]}"; do
      # shellcheck disable=SC2046
      run_tool "$target" "$scenario" $(scenario_args "$scenario") --rate "$rate" --messages "$messages" \
        --warmup "$WARMUP" --duration "$((FIXED_SECONDS + 5))" --drain-timeout "$DRAIN"
    done
  done
done
log "scenarios took $((SECONDS - START_SECONDS)) s"

# --- report -----------------------------------------------------------------------------------------------

stop_all

PAGE_NAME="$DAY$( ((QUICK)) && echo -quick || true)"
# A subset keeps its own page, so that it never overwrites the day's full run.
[[ "$SCENARIOS" == "$ALL_SCENARIOS" ]] || PAGE_NAME="$PAGE_NAME-${SCENARIOS//,/-}"
PAGE="$ROOT/bench/results/$PAGE_NAME.md"
REPORT_ARGS=(report --in "$RESULTS" --out "$PAGE" --link "results/$PAGE_NAME.md"
  --title "Benchmark results, $DAY$( ((QUICK)) && echo ' (quick)' || true)"
  --note "run=bench/run.sh $( ((QUICK)) && echo --quick || true) ${ONLY:+--only $ONLY} $([[ "$SCENARIOS" == "$ALL_SCENARIOS" ]] || echo "--scenarios $SCENARIOS") (raw output: bench/results/raw/$STAMP/, not committed)"
  --note "targets=${TARGETS[*]}"
  --readme-note "$( ((QUICK)) && echo 'Quick run' || echo 'Full run'), targets: ${TARGETS[*]}; load average at start $LOAD on $(nproc 2>/dev/null || echo '?') cores.")
for note in "${NOTES[@]}"; do REPORT_ARGS+=(--note "$note"); done
# Only a run of every scenario refreshes the README's table: a subset would replace it with its few rows.
[[ "$SCENARIOS" == "$ALL_SCENARIOS" ]] || UPDATE_README=0
if (( UPDATE_README )); then REPORT_ARGS+=(--readme "$ROOT/bench/README.md"); fi
bench_tool "${REPORT_ARGS[@]}"
log "wrote ${PAGE#"$ROOT"/}$( ((UPDATE_README)) && echo ' and updated bench/README.md' || true)"
