#!/usr/bin/env bash
# The final build: the short discard runs, the long ones, the three modes against the emulator, and the 5M backlog under -Xmx256m.
set -euo pipefail
JAR=${1:-/tmp/bench-clock.jar}; OUT=${2:-after}
mkdir -p "$OUT"
E2E=(java -XX:+UseParallelGC -Xmx1g -cp "$JAR" io.snowpiperelay.benchmarks.EndToEnd)
export SS_LOG_LEVEL=warn
"${E2E[@]}" --table LIFT_RIDE --rows 2000000 --channels 4 --repeats 5 --modes sdk-ceiling-discard,relay-discard --out "$OUT/lift-ride-discard.json" > "$OUT/lift-ride-discard.log" 2>&1
"${E2E[@]}" --table RESORT_TICKET --rows 1000000 --channels 4 --repeats 5 --modes sdk-ceiling-discard,relay-discard --out "$OUT/resort-ticket-discard.json" > "$OUT/resort-ticket-discard.log" 2>&1
"${E2E[@]}" --table LIFT_RIDE --rows 8000000 --channels 4 --repeats 3 --warmup-rows 1000000 \
  --modes sdk-ceiling-discard,relay-discard --out "$OUT/lift-ride-discard-long.json" > "$OUT/lift-ride-discard-long.log" 2>&1
"${E2E[@]}" --table RESORT_TICKET --rows 4000000 --channels 4 --repeats 3 --warmup-rows 1000000 \
  --modes sdk-ceiling-discard,relay-discard --out "$OUT/resort-ticket-discard-long.json" > "$OUT/resort-ticket-discard-long.log" 2>&1
"${E2E[@]}" --table LIFT_RIDE --rows 2000000 --channels 4 --repeats 3 --warmup-rows 1000000 \
  --modes sdk-ceiling,relay,naive --out "$OUT/lift-ride.json" > "$OUT/lift-ride.log" 2>&1
"${E2E[@]}" --table RESORT_TICKET --rows 1000000 --channels 4 --repeats 3 --warmup-rows 500000 \
  --modes sdk-ceiling,relay,naive --out "$OUT/resort-ticket.json" > "$OUT/resort-ticket.log" 2>&1
java -XX:+UseParallelGC -Xmx256m -cp "$JAR" io.snowpiperelay.benchmarks.EndToEnd --table LIFT_RIDE \
  --rows 5000000 --channels 4 --repeats 1 --modes relay --warmup-rows 0 --out "$OUT/memory-5m.json" > "$OUT/memory-5m.log" 2>&1
