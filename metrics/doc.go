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
// Means are taken the way NumPy's np.mean does (pairwise summation, see
// PairwiseSum), and text is split the way Python's str.split does (Fields),
// so that printed averages agree with the reference to the last digit in
// the common case. docs/metrics.md lists the remaining differences.
package metrics
