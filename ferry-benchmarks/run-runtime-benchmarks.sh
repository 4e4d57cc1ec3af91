#!/usr/bin/env bash
# Runs the model-runtime benchmarks (ONNX, XGBoost, LightGBM: Ferry against each runtime's own API)
# and prints the Markdown table of docs/benchmarks-runtimes.md. Run from the repository root.
# Extra arguments go to JMH, e.g. `-wi 1 -i 2` for a quick look or `-prof gc`.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/find-java.sh
ferry_find_java
java() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "$@"; }
if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -B -q -pl ferry-benchmarks -am package -DskipTests
fi
out=ferry-benchmarks/target/runtime-benchmarks.json
cp='ferry-benchmarks/target/ferry-benchmarks.jar:ferry-benchmarks/target/lib/*'
echo "load before: $(uptime)"
java -cp "$cp" org.openjdk.jmh.Main 'dev\.ferry\.bench\.(Onnx|XGBoost|LightGbm)PredictBenchmark' \
  -prof dev.ferry.bench.CpuTimeProfiler -rf json -rff "$out" "$@"
echo "load after: $(uptime)"
java -cp "$cp" dev.ferry.bench.BenchmarkReport "$out"
