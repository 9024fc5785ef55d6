#!/bin/bash
# old (one SDK client per partition, aede9b4) and new (SharedClients) alternated, same FleetThroughput code
OUT=/work/main/benchmarks/results/2026-12-06d/fleet
for round in 1 2; do
  for build in old new; do
    echo "=== $build round $round $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
    SS_LOG_LEVEL=error java -Xmx1g -XX:+UseParallelGC -cp /tmp/bench-$build.jar io.snowpiperelay.benchmarks.FleetThroughput \
      --members 1,2,3 --partitions 6 --rows 60000 --repeats 3 2>&1 | grep FLEET-BENCH | tee $OUT/fleet-$build-$round.txt
  done
done
