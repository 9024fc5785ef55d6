#!/usr/bin/env bash
set -uo pipefail
R=/work/main/benchmarks/results/2026-12-06b
export SS_LOG_LEVEL=warn
J=/tmp/bench-after.jar
E2E=(java -XX:+UseParallelGC -Xmx1g -cp $J io.snowpiperelay.benchmarks.EndToEnd)
mkdir -p $R/scaling $R/emulator $R/memory
echo "== $(date -u +%H:%M:%S) scaling"
for table in LIFT_RIDE RESORT_TICKET; do
  name=$(echo "$table" | tr 'A-Z_' 'a-z-'); rows=$([ "$table" = LIFT_RIDE ] && echo 1000000 || echo 500000)
  for ch in 1 2 4 8; do
    echo "   $(date -u +%H:%M:%S) $table $ch load $(cut -d' ' -f1 /proc/loadavg)"
    "${E2E[@]}" --table $table --rows $rows --channels $ch --repeats 3 --modes sdk-ceiling-discard,relay-discard --out $R/scaling/scaling-$name-ch$ch.json > $R/scaling/scaling-$name-ch$ch.log 2>&1
  done
done
python3 /work/main/benchmarks/scripts/scaling-chart.py $R/scaling/scaling.svg $R/scaling/scaling-*-ch*.json > $R/scaling/scaling.md 2>&1
echo "== $(date -u +%H:%M:%S) emulator"
for table in LIFT_RIDE RESORT_TICKET; do
  name=$(echo "$table" | tr 'A-Z_' 'a-z-'); rows=$([ "$table" = LIFT_RIDE ] && echo 2000000 || echo 1000000)
  "${E2E[@]}" --table $table --rows $rows --channels 4 --repeats 3 --modes sdk-ceiling,relay,naive --out $R/emulator/$name.json > $R/emulator/$name.log 2>&1
  tail -6 $R/emulator/$name.log | head -5
done
echo "== $(date -u +%H:%M:%S) memory"
java -XX:+UseParallelGC -Xmx256m -cp $J io.snowpiperelay.benchmarks.EndToEnd --table LIFT_RIDE --rows 5000000 --channels 4 --repeats 1 --modes relay --warmup-rows 0 --out $R/memory/memory-5m.json > $R/memory/memory-5m.log 2>&1
tail -4 $R/memory/memory-5m.log | head -2
echo "== $(date -u +%H:%M:%S) done"
