#!/usr/bin/env bash
# One build against the discarding server: the issue's command (5 repeats), the long runs (3 repeats), the 5M backlog.
# Usage: run-window.sh JAR OUTDIR  (window128: /tmp/bench-w128.jar; window-final: /tmp/bench-final.jar)
set -uo pipefail
R=$2
mkdir -p $R
export SS_LOG_LEVEL=warn
J=$1
for table in LIFT_RIDE RESORT_TICKET; do
  name=$(echo "$table" | tr 'A-Z_' 'a-z-'); rows=$([ "$table" = LIFT_RIDE ] && echo 2000000 || echo 1000000)
  echo "== $(date -u +%H:%M:%S) discard $table load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -XX:+UseParallelGC -Xmx1g -cp $J io.snowpiperelay.benchmarks.EndToEnd --table $table --rows $rows --channels 4 --repeats 5 \
    --modes sdk-ceiling-discard,relay-discard --out $R/$name-discard.json > $R/$name-discard.log 2>&1
  tail -5 $R/$name-discard.log | head -4
done
for table in LIFT_RIDE RESORT_TICKET; do
  name=$(echo "$table" | tr 'A-Z_' 'a-z-'); rows=$([ "$table" = LIFT_RIDE ] && echo 8000000 || echo 4000000)
  echo "== $(date -u +%H:%M:%S) long $table load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -XX:+UseParallelGC -Xmx1g -cp $J io.snowpiperelay.benchmarks.EndToEnd --table $table --rows $rows --channels 4 --repeats 3 \
    --warmup-rows 1000000 --modes sdk-ceiling-discard,relay-discard --out $R/$name-discard-long.json > $R/$name-discard-long.log 2>&1
  tail -5 $R/$name-discard-long.log | head -4
done
echo "== $(date -u +%H:%M:%S) memory"
java -XX:+UseParallelGC -Xmx256m -cp $J io.snowpiperelay.benchmarks.EndToEnd --table LIFT_RIDE --rows 5000000 --channels 4 --repeats 1 --modes relay --warmup-rows 0 --out $R/memory-5m.json > $R/memory-5m.log 2>&1
tail -4 $R/memory-5m.log | head -2
echo "== $(date -u +%H:%M:%S) done"
