#!/usr/bin/env bash
# The anchor decode (docs/benchmarks.md, "Learning what the official code
# learns"): decode the first N sentences of a split from a run's weights
# with the full reference sampler (all K steps, rounding every step),
# spread over P one-thread processes, then score the result as the
# official eval does. Prints the decoding time and the scores.
#
#   bench/anchor/decode.sh RUN SPLIT.jsonl OUTDIR [N=400] [P=2]
#
# Process s decodes batches s, s+P, s+2P, ... of the N sentences, so the
# first sentences finish first whatever N is. Every process saves after
# each batch (`diffuseq sample` keeps a partial file), so running the same
# command again after an interruption continues the decode; the decoding
# time is then summed over the runs, as `diffuseq sample` reports it. To
# score the batches finished so far:
#
#   cat OUTDIR/shard*/seed101_step0.partial.jsonl > part.jsonl && diffuseq eval --pred part.jsonl
#
# Environment: WEIGHTS (default live, as the issue asks), SEED (101),
# SPECIALS (own), BSZ (50).
set -euo pipefail
run=${1:?run folder}; split=${2:?split jsonl}; out=${3:?output folder}
n=${4:-400}; p=${5:-2}
bsz=${BSZ:-50}; seed=${SEED:-101}
cd "$(dirname "$0")/../.."
mkdir -p "$out"
go build -o "$out/.diffuseq" ./cmd/diffuseq
start=$(date +%s.%N)
pids=()
for ((s = 0; s < p; s++)); do
  awk -v n="$n" -v b="$bsz" -v p="$p" -v s="$s" 'NR > n { exit } int((NR - 1) / b) % p == s' "$split" > "$out/shard$s.jsonl"
  [ -s "$out/shard$s.jsonl" ] || continue
  done_file="$out/shard$s/seed${seed}_step0.json"
  if [ -f "$done_file" ] && [ "$(wc -l < "$done_file")" = "$(wc -l < "$out/shard$s.jsonl")" ]; then
    continue # finished by an earlier run
  fi
  "$out/.diffuseq" sample --model "$run" --weights "${WEIGHTS:-live}" --split "$out/shard$s.jsonl" \
    --threads 1 --seed "$seed" --bsz "$bsz" --out "$out/shard$s" >> "$out/shard$s.log" 2>&1 &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" 'BEGIN { printf "this run: %.0f s of wall time\n", b - a }'
for log in "$out"/shard*.log; do
  echo "$(basename "$log" .log): $(grep -h "sentences in .* s of decoding\|stopped" "$log" | tail -1 | sed 's/ -> .*//')"
done
[ "$status" = 0 ] || { echo "a process stopped early: run the same command to continue (logs: $out/shard*.log)"; exit 1; }
: > "$out/all.json"
for ((s = 0; s < p; s++)); do
  [ -f "$out/shard$s/seed${seed}_step0.json" ] && cat "$out/shard$s/seed${seed}_step0.json" >> "$out/all.json"
done
echo "decoded $(wc -l < "$out/all.json") sentences with $p one-thread processes"
"$out/.diffuseq" eval --pred "$out/all.json" --specials "${SPECIALS:-own}"
