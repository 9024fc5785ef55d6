#!/usr/bin/env bash
# Reproduces the figures of docs/benchmarks.md. Run from the repository root, after
# `mvn -B -ntp package -pl benchmarks -am -DskipTests`, on a machine that is otherwise idle.
#
#   benchmarks/scripts/run-benchmarks.sh [machine|rides|tickets|emulator-long|memory|profile|jmh|discard|discard-long|scaling|all]...
#
# Results go to $OUT (default benchmark-results/): one JSON report and one Markdown table per run, the JFR
# recordings and their summaries, the JMH JSON, and machine.txt.
set -euo pipefail

OUT=${OUT:-benchmark-results}
JAR=${JAR:-benchmarks/target/benchmarks.jar}
# The SDK's native core logs INFO per status read unless told otherwise (docs/exactly-once.md, "Logging").
export SS_LOG_LEVEL=warn
# The flags every mode runs under (docs/sdk-facts.md: ParallelGC gives the SDK 20-25% more than G1).
JVM_FLAGS=(-XX:+UseParallelGC -Xmx1g)
E2E=(java "${JVM_FLAGS[@]}" -cp "$JAR" io.snowpiperelay.benchmarks.EndToEnd)
ALL_MODES=emulator-ingest,sdk-ceiling,relay,naive,sdk-ceiling-maps,sdk-ceiling-discard,relay-discard

mkdir -p "$OUT"
[ -f "$JAR" ] || { echo "missing $JAR: run mvn -B -ntp package -pl benchmarks -am -DskipTests first" >&2; exit 2; }

machine() {
  { date -u; uname -a; lscpu; free -m; java -version 2>&1; uptime; } > "$OUT/machine.txt"
}

run_table() {
  # One run of the tool, 4 channels: $1 table, $2 rows, $3 repeats, $4 modes, $5 the report's name, then any extra
  # EndToEnd options.
  local table=$1 rows=$2 repeats=$3 modes=$4 name=$5
  shift 5
  "${E2E[@]}" --table "$table" --rows "$rows" --channels 4 --repeats "$repeats" --modes "$modes" "$@" \
    --out "$OUT/$name.json" 2>&1 | tee "$OUT/$name.log"
}

rides() {
  run_table LIFT_RIDE 2000000 5 "$ALL_MODES" lift-ride --warmup-rows ${RIDE_WARMUP_ROWS:-1000000}
}

tickets() {
  run_table RESORT_TICKET 1000000 5 "$ALL_MODES" resort-ticket --warmup-rows ${TICKET_WARMUP_ROWS:-500000}
}

emulator_long() {
  # sdk-ceiling, relay and naive against the emulator on runs as long as discard-long's (the steady state: the
  # emulator's commit tail and the SDK's once-a-second status refresh weigh little).
  run_table LIFT_RIDE 8000000 ${EMULATOR_LONG_REPEATS:-3} sdk-ceiling,relay,naive lift-ride-long \
    --warmup-rows ${RIDE_WARMUP_ROWS:-1000000}
  run_table RESORT_TICKET 4000000 ${EMULATOR_LONG_REPEATS:-3} sdk-ceiling,relay,naive resort-ticket-long \
    --warmup-rows ${TICKET_WARMUP_ROWS:-500000}
}

memory() {
  # 5M-row backlog relayed with a 256 MB heap: the uncommitted window bounds memory, no file mode.
  java -XX:+UseParallelGC -Xmx256m -cp "$JAR" io.snowpiperelay.benchmarks.EndToEnd --table LIFT_RIDE \
    --rows 5000000 --channels 4 --repeats 1 --modes relay --warmup-rows 0 --out "$OUT/memory-5m.json" \
    2>&1 | tee "$OUT/memory-5m.log"
}

profile() {
  for table in ${PROFILE_TABLES:-LIFT_RIDE RESORT_TICKET}; do
    local name
    name=$(echo "$table" | tr 'A-Z_' 'a-z-')
    "${E2E[@]}" --table "$table" --rows 1000000 --channels 4 --repeats 1 --modes sdk-ceiling,relay,naive \
      --jfr "$OUT/$name.jfr" --out "$OUT/$name-profiled.json" 2>&1 | tee "$OUT/$name-profiled.log"
    # relay runners, the ceiling's appenders, and the naive loop (it runs on main)
    for thread in relay-group ceiling-appender main; do
      java -cp "$JAR" io.snowpiperelay.benchmarks.JfrSummary "$OUT/$name.jfr" --thread "$thread" --top 15 \
        > "$OUT/$name-jfr-$thread.txt"
    done
  done
}

jmh() {
  # The default subset (500-row batches, 32 KiB appends); JMH_ARGS="" runs every @Param combination.
  java -jar "$JAR" -rf json -rff "$OUT/jmh.json" -f 1 -wi 2 -w 2 -i 3 -r 3 \
    ${JMH_ARGS--p batchSize=500 -p maxAppendBytes=32768} \
    ConversionBenchmark BatchBuildBenchmark SqliteReadBenchmark AppendBenchmark EmulatorRowMapperBenchmark 2>&1 | tee "$OUT/jmh.log"
}

discard_runs() {
  # sdk-ceiling-discard against relay-discard, 4 channels, one run per table: $1 rides, $2 tickets, $3 repeats,
  # $4 the report's suffix, then any extra EndToEnd options.
  local ride_rows=$1 ticket_rows=$2 repeats=$3 suffix=$4
  shift 4
  run_table LIFT_RIDE "$ride_rows" "$repeats" sdk-ceiling-discard,relay-discard "lift-ride-$suffix" "$@"
  run_table RESORT_TICKET "$ticket_rows" "$repeats" sdk-ceiling-discard,relay-discard "resort-ticket-$suffix" "$@"
}

discard() {
  # The relay's own cost against the SDK's: both against the discarding server, the row counts of the rides and
  # tickets stages.
  discard_runs 2000000 1000000 ${DISCARD_REPEATS:-5} discard
}

discard_long() {
  # The same comparison on runs long enough (about 10 s of appending) that one commit latency weighs little.
  discard_runs 8000000 4000000 ${DISCARD_REPEATS:-3} discard-long --warmup-rows 1000000
}

scaling() {
  # rows/s and CPU per row for 1, 2, 4 and 8 channels, relay and ceiling side by side, then the chart.
  for table in ${SCALING_TABLES:-LIFT_RIDE RESORT_TICKET}; do
    local name rows
    name=$(echo "$table" | tr 'A-Z_' 'a-z-')
    rows=$([ "$table" = LIFT_RIDE ] && echo 1000000 || echo 500000)
    for channels in ${SCALING_CHANNELS:-1 2 4 8}; do
      "${E2E[@]}" --table "$table" --rows "$rows" --channels "$channels" --repeats ${SCALING_REPEATS:-3} \
        --modes sdk-ceiling-discard,relay-discard --out "$OUT/scaling-$name-ch$channels.json" \
        2>&1 | tee "$OUT/scaling-$name-ch$channels.log"
    done
  done
  python3 "$(dirname "$0")/scaling-chart.py" "$OUT/scaling.svg" "$OUT"/scaling-*-ch*.json | tee "$OUT/scaling.md"
}

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(all)
for stage in "${stages[@]}"; do
  case "$stage" in
    all) machine; rides; tickets; memory; jmh; profile ;;
    machine|rides|tickets|memory|profile|jmh|discard|scaling) "$stage" ;;
    discard-long) discard_long ;;
    emulator-long) emulator_long ;;
    *) echo "unknown stage $stage" >&2; exit 2 ;;
  esac
done
