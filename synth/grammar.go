package synth

// group is a set of interchangeable words: any member may appear in a
// source, and any member is correct in a target.
type group []string

// The lexicon. Every word appears once; the vocabulary file lists them in
// this order (determiners and function words first).
var (
	determiners = group{"the", "my"}

	adjectives = []group{
		{"big", "large"}, {"small", "little"}, {"red", "crimson"}, {"happy", "glad"},
		{"old", "aged"}, {"quick", "fast"}, {"quiet", "silent"}, {"clever", "smart"},
		{"angry", "mad"}, {"tired", "sleepy"},
	}

	nouns = []group{
		{"dog", "hound"}, {"cat", "kitty"}, {"horse", "pony"}, {"child", "kid"},
		{"man", "guy"}, {"woman", "lady"}, {"car", "auto"}, {"boat", "ship"},
		{"house", "home"}, {"rock", "stone"}, {"teacher", "tutor"}, {"doctor", "medic"},
	}

	// verbs[i] (present tense, in sources) pairs with participles[i]
	// (passive, in targets).
	verbs = []group{
		{"sees", "spots"}, {"chases", "pursues"}, {"helps", "aids"}, {"likes", "enjoys"},
		{"pushes", "shoves"}, {"finds", "discovers"}, {"calls", "phones"}, {"follows", "trails"},
	}
	participles = []group{
		{"seen", "spotted"}, {"chased", "pursued"}, {"helped", "aided"}, {"liked", "enjoyed"},
		{"pushed", "shoved"}, {"found", "discovered"}, {"called", "phoned"}, {"followed", "trailed"},
	}

	// The fixed words of the passive frame "... is PARTICIPLE by ...".
	wordIs, wordBy = "is", "by"
)

// Lengths of a source and a target in words.
const (
	SrcLen = 7 // DET ADJ NOUN VERB DET ADJ NOUN
	TrgLen = 9 // DET ADJ NOUN is PARTICIPLE by DET ADJ NOUN
)

// Vocab returns the task's words in vocabulary-file order. None is one of
// the reference's special tokens and none repeats (the reference would give
// a repeated token a colliding id).
func Vocab() []string {
	words := append([]string{}, determiners...)
	words = append(words, wordIs, wordBy)
	for _, gs := range [][]group{adjectives, nouns, verbs, participles} {
		for _, g := range gs {
			words = append(words, g...)
		}
	}
	return words
}

// sentence is one source in terms of group indices: the subject phrase
// (det1, adj1, noun1), the verb, and the object phrase (det2, adj2, noun2).
type sentence struct {
	det1, adj1, noun1, verb, det2, adj2, noun2 int
}

// lookup maps each word to its group index within one word class.
func lookup(gs []group) map[string]int {
	m := map[string]int{}
	for i, g := range gs {
		for _, w := range g {
			m[w] = i
		}
	}
	return m
}

var (
	detIndex  = map[string]int{"the": 0, "my": 1}
	adjIndex  = lookup(adjectives)
	nounIndex = lookup(nouns)
	verbIndex = lookup(verbs)
	partIndex = lookup(participles)
)
