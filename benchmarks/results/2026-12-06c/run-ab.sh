#!/usr/bin/env bash
# The command (run-benchmarks.sh discard) for two builds, alternated: run-ab.sh JAR_A NAME_A JAR_B NAME_B OUT [extra args]
set -euo pipefail
A=$1; NA=$2; B=$3; NB=$4; OUT=$5; shift 5
mkdir -p "$OUT"
run() { # jar table rows name
  SS_LOG_LEVEL=warn java -XX:+UseParallelGC -Xmx1g -cp "$1" io.snowpiperelay.benchmarks.EndToEnd \
    --table "$2" --rows "$3" --channels 4 --repeats 5 --modes sdk-ceiling-discard,relay-discard \
    --out "$OUT/$4.json" ${EXTRA:-} > "$OUT/$4.log" 2>&1
}
run "$A" LIFT_RIDE 2000000 "rides-$NA"
run "$B" LIFT_RIDE 2000000 "rides-$NB"
run "$A" RESORT_TICKET 1000000 "tickets-$NA"
run "$B" RESORT_TICKET 1000000 "tickets-$NB"
