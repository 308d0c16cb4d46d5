#!/usr/bin/env bash
# Sampler benchmark (docs/benchmarks.md, "Samplers"): decode a trained run
# with every (sampler, steps) setting, score each output with
# `diffuseq eval`, print one markdown table row per setting.
#
#   bench/samplers.sh RUN SPLIT.jsonl OUTDIR [LIMIT] [MEAN_EMBED_SIDECAR]
#
# RUN: a run folder of `diffuseq train` (v1) or of
#   `go run ./bench/samplers train-v2` (v2; pass its mean_embed.safetensors).
# Environment: GRID (sampler:steps list), SPECIALS (own|bert, default own),
# THREADS (default 0 = all cores), WEIGHTS (default ema), DENOISE_RATE (v2
# sampling-time discrete noise of the ancestral samplers, default 0).
set -euo pipefail
run=${1:?run folder}; split=${2:?split jsonl}; out=${3:?output folder}
limit=${4:-100}; mean=${5:-}
grid=${GRID:-reference:0,ancestral:10,ancestral:20,ancestral:50,ancestral:200,ddim:10,ddim:20,ddim:50,ddim:200,dpm-solver++:10,dpm-solver++:20,dpm-solver++:50,dpm-solver++:200}
cd "$(dirname "$0")/.."
. bench/lib/debian-deps.sh
need_debian python3
go build -o "$out/.bin/samplers" ./bench/samplers
go build -o "$out/.bin/diffuseq" ./cmd/diffuseq
args=(decode --run "$run" --split "$split" --out "$out" --limit "$limit" --grid "$grid"
      --threads "${THREADS:-0}" --weights "${WEIGHTS:-ema}" --denoise-rate "${DENOISE_RATE:-0}")
[ -n "$mean" ] && args+=(--mean-embed "$mean")
"$out/.bin/samplers" "${args[@]}"
echo "| setting | sentences | BLEU | ROUGE-L | dist-1 | sentences/s |"
echo "|---|---|---|---|---|---|"
IFS=',' read -ra settings <<< "$grid"
for s in "${settings[@]}"; do
  name=${s/:/_}
  json=$("$out/.bin/diffuseq" eval --pred "$out/$name/seed101.json" --specials "${SPECIALS:-own}" --json)
  rate=$(awk -F'\t' -v n="$name" '$1 == n {r = $4} END {print r}' "$out/timing.tsv")
  /usr/bin/python3 - "$name" "$rate" "$json" <<'PY'
import json, sys
name, rate, js = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
f = js["files"][0] if "files" in js else js
print(f"| {name} | {f['lines']} | {f['bleu']:.4f} | {f['rouge_l']:.4f} | {f['dist1']:.4f} | {float(rate):.2f} |")
PY
done
