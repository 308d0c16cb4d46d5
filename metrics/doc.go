// Package metrics computes the evaluation numbers of the DiffuSeq paper
// exactly as the reference system's scripts/eval_seq2seq.py does, plus
// corpus BLEU as sacrebleu reports it.
//
// Each metric reproduces one independent implementation bit for bit where
// the float operations allow it, because the published numbers were made
// with those implementations and their quirks change the scores:
//
//   - SentenceBLEU: NLTK (>= 3.7) sentence_bleu with uniform 4-gram weights
//     and SmoothingFunction().method4, the paper's "BLEU" column.
//   - SacreBLEU, SacreSentenceBLEU: sacrebleu 2.x corpus and sentence BLEU
//     with the 13a, none and intl tokenisers (Tokenizer).
//   - ROUGEL: torchmetrics ROUGEScore's rougeL (default normaliser, no
//     stemming), returned as the float32 values torchmetrics produces.
//   - Dist1, InterDistinctN (div-4), SelfBLEU, AvgLen: the eval script's own
//     helpers.
//   - SelectMBR: the eval script's minimum-Bayes-risk choice among several
//     seeds' candidates (highest summed BLEU against the other candidates).
//
// To agree with the reference to the last bit, the Python-side arithmetic
// is reproduced too: means are np.mean's pairwise summation (PairwiseSum),
// NLTK's math.fsum is exact (Fsum), sacrebleu's sum() is Python 3.12's
// compensated sum (PySum), log and exp are correctly rounded like glibc's
// (crmath.go), and text is split like Python's str.split (Fields).
// Evaluate-level helpers (Specials.Clean, Score, Diversity, MBR) follow the
// eval script line by line; cmd/diffuseq's eval command is a thin wrapper.
// docs/metrics.md lists the measured parity and the remaining differences.
package metrics
