#!/usr/bin/env bash
# Long discard runs (about 10 s of appending per repeat), so that the one-commit-latency tail weighs less.
set -uo pipefail
R=/work/main/benchmarks/results/2026-12-06b/long
mkdir -p $R
export SS_LOG_LEVEL=warn
for build in after before; do
  J=/tmp/bench-$([ $build = after ] && echo after || echo base).jar
  for table in LIFT_RIDE RESORT_TICKET; do
    name=$(echo "$table" | tr 'A-Z_' 'a-z-'); rows=$([ "$table" = LIFT_RIDE ] && echo 8000000 || echo 4000000)
    echo "== $(date -u +%H:%M:%S) $build $table load $(cut -d' ' -f1-3 /proc/loadavg)"
    java -XX:+UseParallelGC -Xmx1g -cp $J io.snowpiperelay.benchmarks.EndToEnd --table $table --rows $rows --channels 4 --repeats 3 \
      --warmup-rows 1000000 --modes sdk-ceiling-discard,relay-discard --out $R/$build-$name-long.json > $R/$build-$name-long.log 2>&1
    tail -5 $R/$build-$name-long.log | head -4
  done
done
echo "== $(date -u +%H:%M:%S) done"
