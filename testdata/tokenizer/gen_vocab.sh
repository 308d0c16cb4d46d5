#!/bin/sh
# Trains the two small WordPiece vocabularies the oracle tests use, with
# this repository's own trainer (`diffuseq vocab build --kind wordpiece`),
# on Multi30k's raw training text plus extra.jsonl (a few lines of other
# scripts, so CJK, kana, Hangul, Greek, Cyrillic and emoji have entries).
# Run from the repository root: sh testdata/tokenizer/gen_vocab.sh
# (deterministic: rerunning reproduces the committed files byte for byte)
set -e
d=testdata/tokenizer
tmp=$(mktemp)
cat ../shared/data/multi30k_de_en/train.jsonl $d/extra.jsonl > "$tmp"
go run ./cmd/diffuseq vocab build --data "$tmp" --kind wordpiece --size 3000 --out $d/vocab_uncased.txt
go run ./cmd/diffuseq vocab build --data "$tmp" --kind wordpiece --size 3000 --cased --out $d/vocab_cased.txt
rm -f "$tmp"
