#!/usr/bin/env bash
# Runs the whole benchmark set of docs/benchmarks.md, one benchmark after another, on this machine.
# Each benchmark's output goes to its own log under the output directory (default
# embed-benchmarks/target/run-all), framed by the 1/5/15-minute load average before and after it.
# Build first: mvn -B -q install -DskipTests
# Usage: embed-benchmarks/run-all.sh [output-dir] [only-these-names...]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-embed-benchmarks/target/run-all}
shift || true
only=" $* "
jar=embed-benchmarks/target/benchmarks.jar
[ -f "$jar" ] || { echo "no $jar: run mvn -B -q install -DskipTests first" >&2; exit 2; }
mkdir -p "$out"
# One fixed, pre-touched heap for every end-to-end client, as a server JVM usually runs: the
# figures then count the clients' work, not the kernel faulting in a growing heap.
heap=(-Xms4g -Xmx4g -XX:+AlwaysPreTouch)
harness=(java "${heap[@]}" -cp "$jar" dev.embed4j.benchmarks.Harness)

run() {
  local name=$1
  shift
  if [ "$only" != "  " ] && [[ "$only" != *" $name "* ]]; then
    return
  fi
  echo "== $name: $*"
  {
    echo "# $*"
    echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)  $(date -u +%FT%TZ)"
    "$@" 2>&1
    echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)  $(date -u +%FT%TZ)"
  } > "$out/$name.log"
  grep -E '^# load' "$out/$name.log"
}

run compare-20k "${harness[@]}" --texts 20000 --latency-ms 150 --warmup 2000
run compare-100k "${harness[@]}" --texts 100000 --latency-ms 150 --warmup 2000
run cpu-steady "${harness[@]}" --texts 100000 --latency-ms 150 --clients embed4j \
  --warmup 20000 --repeat 3
run sweep "${harness[@]}" --texts 20000 --latency-ms 150 --clients embed4j \
  --sweep-concurrency 1,2,4,8,16,32,64 --chart docs/throughput.png --csv docs/benchmarks-sweep.csv
run tpm "${harness[@]}" --texts 20000 --latency-ms 150 --clients embed4j --tpm 1400000
run limiter-table "${harness[@]}" --limiter-table --clients embed4j --texts 4000 --batch 4 --concurrency 32 \
  --latency-ms 100 --tpm 200000 --max-retry-after-ms 2000 --warmup 100
run streaming java -Xmx512m -cp "$jar" dev.embed4j.benchmarks.StreamingBenchmark \
  --texts 1000000 --csv "$out/streaming-heap.csv" --chart docs/streaming-heap.png
run cache java -cp "$jar" dev.embed4j.benchmarks.CacheBenchmark --texts 20000 --latency-ms 50 \
  --concurrency 16
run disk-stores java -cp "$jar" dev.embed4j.benchmarks.DiskStoreBenchmark --vectors 20000 --rounds 3
run jmh java -jar "$jar" 'OpenAiDecodeBenchmark|CohereDecodeBenchmark|BatchingBenchmark|EngineBenchmark' \
  -f 1 -wi 3 -i 5 -w 1 -r 1
