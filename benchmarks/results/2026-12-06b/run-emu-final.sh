#!/usr/bin/env bash
# The final build against the emulator: sdk-ceiling, relay, naive, 3 repeats.
set -uo pipefail
R=/work/main/benchmarks/results/2026-12-06b/emulator-final
mkdir -p $R
export SS_LOG_LEVEL=warn
for table in LIFT_RIDE RESORT_TICKET; do
  name=$(echo "$table" | tr 'A-Z_' 'a-z-'); rows=$([ "$table" = LIFT_RIDE ] && echo 2000000 || echo 1000000)
  echo "== $(date -u +%H:%M:%S) $table load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -XX:+UseParallelGC -Xmx1g -cp /tmp/bench-final.jar io.snowpiperelay.benchmarks.EndToEnd --table $table --rows $rows --channels 4 --repeats 3 \
    --modes sdk-ceiling,relay,naive --out $R/$name.json > $R/$name.log 2>&1
  tail -6 $R/$name.log | head -5
done
echo "== $(date -u +%H:%M:%S) done"
