// Package synth generates the built-in demo task of `diffuseq demo`: a tiny
// seq2seq corpus that needs no files and no network, that a small diffusion
// model learns in minutes on two cores, and that — like paraphrase — has
// several correct outputs per input.
//
// The task is active → passive voice with free synonym choice:
//
//	src: the big dog chases my quiet kitty
//	trg: my silent cat is pursued by the large hound     (one of 32 correct targets)
//
// The source is "DET ADJ NOUN VERB DET ADJ NOUN"; the target swaps the two
// noun phrases, keeps each determiner, turns the verb into "is PARTICIPLE
// by", and may replace every adjective, noun and participle by any member of
// its synonym group (two per group), so each source has 2⁵ = 32 correct
// targets. Because the choices are independent per position, a
// non-autoregressive model that picks each word from the right group is
// always right, and Accuracy can score an output against the whole set
// instead of one reference: BLEU against a single sampled reference
// under-rates correct paraphrases, which is why the demo prints both.
//
// Sizes fit the reference's own-vocabulary mode at seq_len 32: 80 words,
// 7 + 9 tokens, plus [START]/[END] on each side and the separator = 21 ids.
package synth
