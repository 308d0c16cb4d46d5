#!/usr/bin/env bash
# The anchor decode (docs/benchmarks.md, "Learning what the official code
# learns"): decode the first N sentences of a split from a run's weights
# with the full reference sampler (all K steps, rounding every step),
# sharded over P one-thread processes, then score the result as the
# official eval does. Prints the wall time, the rate and the scores.
#
#   bench/anchor/decode.sh RUN SPLIT.jsonl OUTDIR [N=400] [P=2]
#
# Environment: WEIGHTS (default live, as the issue asks), SEED (101),
# SPECIALS (own), BSZ (50).
set -euo pipefail
run=${1:?run folder}; split=${2:?split jsonl}; out=${3:?output folder}
n=${4:-400}; p=${5:-2}
cd "$(dirname "$0")/../.."
mkdir -p "$out"
go build -o "$out/.diffuseq" ./cmd/diffuseq
per=$(( (n + p - 1) / p ))
start=$(date +%s.%N)
pids=()
for ((s = 0; s < p; s++)); do
  lo=$(( s * per + 1 )); hi=$(( (s + 1) * per < n ? (s + 1) * per : n ))
  [ "$lo" -gt "$hi" ] && continue
  sed -n "${lo},${hi}p" "$split" > "$out/shard$s.jsonl"
  "$out/.diffuseq" sample --model "$run" --weights "${WEIGHTS:-live}" --split "$out/shard$s.jsonl" \
    --threads 1 --seed "${SEED:-101}" --bsz "${BSZ:-50}" --out "$out/shard$s" > "$out/shard$s.log" 2>&1 &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
end=$(date +%s.%N)
: > "$out/all.json"
for ((s = 0; s < p; s++)); do
  [ -f "$out/shard$s/seed${SEED:-101}_step0.json" ] && cat "$out/shard$s/seed${SEED:-101}_step0.json" >> "$out/all.json"
done
lines=$(wc -l < "$out/all.json")
awk -v l="$lines" -v a="$start" -v b="$end" -v p="$p" \
  'BEGIN { printf "decoded %d sentences in %.0f s with %d one-thread processes (%.4f sentences/s)\n", l, b - a, p, l / (b - a) }'
"$out/.diffuseq" eval --pred "$out/all.json" --specials "${SPECIALS:-own}"
