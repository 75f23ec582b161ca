//go:build devtools

// Developer tools, built only with -tags devtools so that ordinary test runs
// neither compile nor skip them.

package repeats

import (
	"fmt"
	"math"
	"os"
	"testing"
)

// TestLogistic fits a logistic regression on the features of the candidate
// pairs of labelled.jsonl only (opt-in: REPEATS_LOGISTIC=1) and reports
// pairwise P/R/F1 at the threshold that maximises F1 on labelled.jsonl,
// beside the additive score, on labelled, heldout and fresh. It is the
// measurement behind keeping the additive score (see BENCH.md).
func TestLogistic(t *testing.T) {
	if os.Getenv("REPEATS_LOGISTIC") == "" {
		t.Skip("set REPEATS_LOGISTIC=1")
	}
	type sample struct {
		x   []float64
		add float64
		pos bool
	}
	w := DefaultWeights
	vec := func(f features) []float64 {
		t := f.J / w.TextFull
		if c := (f.C - w.CBase) / w.CSpan; c > t {
			t = c
		}
		t = math.Max(0, math.Min(1, t))
		b := func(v bool) float64 {
			if v {
				return 1
			}
			return 0
		}
		person := f.ID || f.Phone || f.NameAddr
		anchor := person || f.Addr || ((f.Building || f.Block || f.EntMatch > 0) && !f.Individual)
		return []float64{1, t, f.J, f.C,
			b(f.TopicKnown && f.Topic >= 0.5), b(f.TopicKnown && f.Topic < 0.2),
			b(person), b(f.Addr), b(f.Building && !f.Individual), b(f.Block && !f.Individual),
			b(f.EntMatch > 0 && f.OrgMatch && !f.Individual), b(f.EntMatch > 0 && !f.OrgMatch && !f.Individual),
			b(!anchor), float64(f.EntConflict), b(f.SameDistrict), b(!f.SameDistrict && f.BothDistrict),
			b(f.Individual && !(person || f.Addr))}
	}
	collect := func(path string) ([]sample, int) {
		recs, labels := load(t, path)
		truth := 0
		for _, l := range labels {
			truth += len(l.ExternalIDs) * (len(l.ExternalIDs) - 1) / 2
		}
		ix := NewIndex(Options{})
		sigs := make([]Signature, len(recs))
		for i, r := range recs {
			sigs[i] = Sign(r.Record())
			ix.Add(int64(i+1), r.ExternalID, sigs[i])
		}
		seen := map[[2]int]bool{}
		var out []sample
		for i := range recs {
			for _, r := range ix.gather(&sigs[i], nil) {
				j := int(r & recMask)
				k := [2]int{min(i, j), max(i, j)}
				if j == i || seen[k] {
					continue
				}
				if r&bandOnly != 0 && minhashAgree(&sigs[i], &sigs[j]) < bandFloor {
					continue
				}
				seen[k] = true
				f := compare(&sigs[i], &sigs[j])
				s, _ := w.score(f)
				out = append(out, sample{vec(f), s, recs[i].Matter == recs[j].Matter})
			}
		}
		return out, truth
	}
	train, truthL := collect("testdata/labelled.jsonl")
	beta := make([]float64, len(train[0].x))
	const lr, l2 = 0.5, 1e-3
	for it := 0; it < 3000; it++ {
		grad := make([]float64, len(beta))
		for _, s := range train {
			z := 0.0
			for k, v := range s.x {
				z += beta[k] * v
			}
			p := 1 / (1 + math.Exp(-z))
			y := 0.0
			if s.pos {
				y = 1
			}
			for k, v := range s.x {
				grad[k] += (p - y) * v
			}
		}
		for k := range beta {
			beta[k] -= lr * (grad[k]/float64(len(train)) + l2*beta[k])
		}
	}
	prob := func(x []float64) float64 {
		z := 0.0
		for k, v := range x {
			z += beta[k] * v
		}
		return 1 / (1 + math.Exp(-z))
	}
	metrics := func(ss []sample, truth int, pred func(sample) bool) string {
		tp, n := 0, 0
		for _, s := range ss {
			if pred(s) {
				n++
				if s.pos {
					tp++
				}
			}
		}
		p, r := float64(tp)/math.Max(1, float64(n)), float64(tp)/float64(truth)
		return fmt.Sprintf("P=%.3f R=%.3f F1=%.3f", p, r, 2*p*r/math.Max(1e-9, p+r))
	}
	best, bestF := 0.5, 0.0
	for th := 0.05; th < 0.96; th += 0.01 {
		tp, n := 0, 0
		for _, s := range train {
			if prob(s.x) >= th {
				n++
				if s.pos {
					tp++
				}
			}
		}
		p, r := float64(tp)/math.Max(1, float64(n)), float64(tp)/float64(truthL)
		if f := 2 * p * r / math.Max(1e-9, p+r); f > bestF {
			best, bestF = th, f
		}
	}
	t.Logf("logistic coefficients %.2f, threshold %.2f", beta, best)
	for _, file := range []string{"testdata/labelled.jsonl", "testdata/heldout.jsonl", "testdata/fresh.jsonl"} {
		ss, truth := collect(file)
		t.Logf("%s\n  additive: %s\n  logistic: %s", file,
			metrics(ss, truth, func(s sample) bool { return s.add >= DefaultThreshold }),
			metrics(ss, truth, func(s sample) bool { return prob(s.x) >= best }))
	}
}
