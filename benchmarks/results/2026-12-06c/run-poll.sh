#!/usr/bin/env bash
# The command with the relay's commit poll at 250 ms (the default) and 50 ms, alternated.
set -euo pipefail
JAR=${1:-/tmp/bench-main.jar}; OUT=${2:-poll}
mkdir -p "$OUT"
run() { # table rows poll name
  SS_LOG_LEVEL=warn java -XX:+UseParallelGC -Xmx1g -cp "$JAR" io.snowpiperelay.benchmarks.EndToEnd \
    --table "$1" --rows "$2" --channels 4 --repeats 5 --modes sdk-ceiling-discard,relay-discard \
    --commit-poll-ms "$3" --out "$OUT/$4.json" > "$OUT/$4.log" 2>&1
}
run LIFT_RIDE 2000000 250 rides-250
run LIFT_RIDE 2000000 50 rides-50
run RESORT_TICKET 1000000 250 tickets-250
run RESORT_TICKET 1000000 50 tickets-50
