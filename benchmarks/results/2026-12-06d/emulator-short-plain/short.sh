#!/bin/bash
cd /work/main
OUT=benchmarks/results/2026-12-06d/emulator-short-plain
E2E=(java -XX:+UseParallelGC -Xmx1g -cp benchmarks/target/benchmarks.jar io.snowpiperelay.benchmarks.EndToEnd)
export SS_LOG_LEVEL=warn
"${E2E[@]}" --table RESORT_TICKET --rows 1000000 --channels 4 --repeats 3 --warmup-rows 500000 --modes sdk-ceiling,relay,naive --out $OUT/resort-ticket.json > $OUT/resort-ticket.log 2>&1
"${E2E[@]}" --table LIFT_RIDE --rows 2000000 --channels 4 --repeats 3 --warmup-rows 1000000 --modes sdk-ceiling,relay,naive --out $OUT/lift-ride.json > $OUT/lift-ride.log 2>&1
