#!/bin/bash
OUT=/work/main/benchmarks/results/2026-12-06d/compression
cd /work/main
for c in off on; do
  extra=(); [ $c = off ] && extra=(--sdk-property enable_rowset_compression=false)
  echo "=== $c $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  SS_LOG_LEVEL=warn java -XX:+UseParallelGC -Xmx1g -cp benchmarks/target/benchmarks.jar io.snowpiperelay.benchmarks.EndToEnd \
    --table RESORT_TICKET --rows 4000000 --channels 4 --repeats 3 --warmup-rows 500000 --modes sdk-ceiling,relay,naive \
    "${extra[@]}" --out $OUT/resort-ticket-long-compression-$c.json > $OUT/resort-ticket-long-compression-$c.log 2>&1
  tail -8 $OUT/resort-ticket-long-compression-$c.log | grep -v WARN
done
