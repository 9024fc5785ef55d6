#!/usr/bin/env bash
# Alternates the build before packing (9854fa2) and after (5ac47dc): rides after, rides before, tickets after, tickets before.
set -euo pipefail
OUTDIR=/work/main/benchmarks/results/2026-12-06b/discard
mkdir -p "$OUTDIR"
export SS_LOG_LEVEL=warn
{ date -u; uname -a; lscpu; free -m; java -version 2>&1; uptime; } > "$OUTDIR/machine.txt"
for table in LIFT_RIDE RESORT_TICKET; do
  name=$(echo "$table" | tr 'A-Z_' 'a-z-')
  rows=$([ "$table" = LIFT_RIDE ] && echo 2000000 || echo 1000000)
  for build in after before; do
    jar=/tmp/bench-$([ $build = after ] && echo after || echo base).jar
    echo "== $(date -u +%H:%M:%S) $build $table load $(cut -d' ' -f1-3 /proc/loadavg)"
    java -XX:+UseParallelGC -Xmx1g -cp "$jar" io.snowpiperelay.benchmarks.EndToEnd --table "$table" --rows "$rows" --channels 4 --repeats 5 \
      --modes sdk-ceiling-discard,relay-discard --out "$OUTDIR/$build-$name-discard.json" > "$OUTDIR/$build-$name-discard.log" 2>&1
    tail -5 "$OUTDIR/$build-$name-discard.log" | head -4
  done
done
uptime >> "$OUTDIR/machine.txt"
