package clean

// The learned scorer: a logistic regression on the block features, trained
// on the corpus's dev pages by TestTrainScorer (scorer_test.go), which
// writes its weights to scorer_weights.go. It gives a block the
// probability p that it is article text; the block's score is then its
// evidence in words, as the hand-set score's is: (2p-1) times its length,
// so that the best run and the thresholds keep their meaning. It is the
// body finder's score: on the test split it removed more junk than the
// hand-set score (feats.score) with every article line kept
// (TestCompareScorers), which stays as the baseline it is measured against.

import (
	"math"
	"strings"
)

// nFeat is the length of a block's feature vector.
const nFeat = 18

// featNames name the vector's entries, in the weights file.
var featNames = [nFeat]string{"bias", "log-words", "stops", "sentence", "caps", "digits", "headline", "widget", "you",
	"names", "prose", "sentence*stops", "log-words*stops", "question", "colon", "quote", "prev-prose", "next-prose"}

// vector returns the feature vector of block i, the prose of its nearest
// neighbours that no rule removed included (a short line between
// paragraphs is a subhead more often than one in a menu).
func vector(bs []block, fs []feats, i int) [nFeat]float64 {
	f, t := fs[i], bs[i].text
	lw := math.Log1p(float64(f.words))
	v := [nFeat]float64{1, lw, f.stops, bit(f.sentence), f.caps, f.digits, bit(f.headline), bit(f.widget), bit(f.you),
		bit(f.names()), bit(f.prose()), bit(f.sentence) * f.stops, lw * f.stops,
		bit(strings.HasSuffix(t, "?")), bit(strings.HasSuffix(t, ":")), bit(strings.HasPrefix(t, "«") || strings.HasPrefix(t, "\"")), 0, 0}
	for k := i - 1; k >= 0; k-- {
		if bs[k].rule == "" {
			v[16] = bit(fs[k].prose())
			break
		}
	}
	for k := i + 1; k < len(bs); k++ {
		if bs[k].rule == "" {
			v[17] = bit(fs[k].prose())
			break
		}
	}
	return v
}

func bit(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// probability is the logistic model's p(article) for a feature vector.
func probability(w, v *[nFeat]float64) float64 {
	z := 0.0
	for k := range v {
		z += w[k] * v[k]
	}
	return 1 / (1 + math.Exp(-z))
}

// learnedScore is a block's evidence in words under the learned model:
// (2p-1) times its length, capped at 80 words and counted at 3 at least,
// as a short line weighs a little in the hand-set score too.
func learnedScore(w *[nFeat]float64, bs []block, fs []feats, i int) float64 {
	if fs[i].repeated {
		return -3
	}
	v := vector(bs, fs, i)
	return float64(max(min(fs[i].words, 80), 3)) * (2*probability(w, &v) - 1)
}

// score is block i's score in the body finder: the learned one, or the
// hand-set one when the cleaner has no weights (the comparison's baseline).
func (c *Cleaner) score(bs []block, fs []feats, i int) float64 {
	if c.weights != nil {
		return learnedScore(c.weights, bs, fs, i)
	}
	return fs[i].score()
}
