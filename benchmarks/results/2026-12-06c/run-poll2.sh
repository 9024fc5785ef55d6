#!/usr/bin/env bash
# The final build with its 100 ms commit poll and with --commit-poll-ms 250, alternated, rides then tickets.
set -euo pipefail
JAR=${1:-/tmp/bench-final2.jar}; OUT=${2:-poll2}
mkdir -p "$OUT"
export SS_LOG_LEVEL=warn
run() { # table rows poll name
  java -XX:+UseParallelGC -Xmx1g -cp "$JAR" io.snowpiperelay.benchmarks.EndToEnd --table "$1" --rows "$2" \
    --channels 4 --repeats 5 --modes sdk-ceiling-discard,relay-discard --commit-poll-ms "$3" \
    --out "$OUT/$4.json" > "$OUT/$4.log" 2>&1
}
run LIFT_RIDE 2000000 250 rides-250
run LIFT_RIDE 2000000 100 rides-100
run LIFT_RIDE 2000000 250 rides-250b
run LIFT_RIDE 2000000 100 rides-100b
