//go:build devtools

// Developer tools, built only with -tags devtools so that ordinary test runs
// neither compile nor skip them.

package repeats

import (
	"os"
	"strings"
	"testing"
)

// TestTune searches the score weights by coordinate descent on
// labelled.jsonl and heldout.jsonl (opt-in: REPEATS_TUNE=1), never on
// fresh.jsonl. The objective is the mean of pairwise F1 over the whole
// labelled file, its hand-written part, the file with themes hidden, and
// heldout.jsonl.
func TestTune(t *testing.T) {
	if os.Getenv("REPEATS_TUNE") == "" {
		t.Skip("set REPEATS_TUNE=1")
	}
	type pf struct {
		f         features
		pos, hand bool
	}
	collect := func(path string) ([]pf, int, int) {
		f, _ := os.Open(path)
		defer f.Close()
		recs, _, err := ReadLabelled(f)
		if err != nil {
			t.Fatal(err)
		}
		ix := NewIndex(Options{})
		sigs := make([]Signature, len(recs))
		for i, r := range recs {
			sigs[i] = Sign(r.Record())
			ix.Add(int64(i+1), r.ExternalID, sigs[i])
		}
		var pairs []pf
		truth, truthHand := 0, 0
		byMatter := map[string][]int{}
		for i, r := range recs {
			byMatter[r.Matter] = append(byMatter[r.Matter], i)
		}
		for m, v := range byMatter {
			n := len(v) * (len(v) - 1) / 2
			truth += n
			if strings.HasPrefix(m, "X") {
				truthHand += n
			}
		}
		for i := range recs {
			for _, j := range ix.gather(&sigs[i], nil) {
				j &= recMask
				if int(j) >= i {
					continue
				}
				hand := strings.HasPrefix(recs[i].ExternalID, "HLD-X") && strings.HasPrefix(recs[j].ExternalID, "HLD-X")
				pairs = append(pairs, pf{compare(&sigs[i], &sigs[j]), recs[i].Matter == recs[j].Matter, hand})
			}
		}
		return pairs, truth, truthHand
	}
	pairs, truth, truthHand := collect("testdata/labelled.jsonl")
	// heldout.jsonl became development data once its errors were inspected
	// (BENCH.md); fresh.jsonl is never used here.
	held, truthHeld, _ := collect("testdata/heldout.jsonl")
	f1 := func(tp, pred, tr int) float64 {
		if pred == 0 || tp == 0 {
			return 0
		}
		p, r := float64(tp)/float64(pred), float64(tp)/float64(tr)
		return 2 * p * r / (p + r)
	}
	obj := func(w Weights) (float64, float64, float64) {
		// constraints: no single anchor (person, household, entity) is a
		// repeat without some agreement of content
		if w.Person+w.District >= DefaultThreshold || w.Household > w.Person || w.Entity > w.Person || w.Estate > w.Entity || w.Building > w.Household || w.Block > w.Building {
			return 0, 0, 0
		}
		// and a near-duplicate text with agreeing themes in one district is
		// a repeat even when nothing else links the two (copied group
		// letters, anonymous tickets): the labelled sets have few such
		// pairs, so the search would otherwise trade them away
		if w.Text+w.Topic+w.District-w.Alone < DefaultThreshold {
			return 0, 0, 0
		}
		tp, pred, tph, predh, tpn, predn := 0, 0, 0, 0, 0, 0
		for _, p := range pairs {
			g := p.f
			g.TopicKnown, g.Individual = false, false
			if s, _ := w.score(g); s >= DefaultThreshold {
				predn++
				if p.pos {
					tpn++
				}
			}
			if s, _ := w.score(p.f); s >= DefaultThreshold {
				pred++
				if p.pos {
					tp++
				}
				if p.hand {
					predh++
					if p.pos {
						tph++
					}
				}
			}
		}
		tpd, predd := 0, 0
		for _, p := range held {
			if s, _ := w.score(p.f); s >= DefaultThreshold {
				predd++
				if p.pos {
					tpd++
				}
			}
		}
		a, b, c, d := f1(tp, pred, truth), f1(tph, predh, truthHand), f1(tpn, predn, truth), f1(tpd, predd, truthHeld)
		return (a + b + c + d) / 4, a, d
	}
	w := DefaultWeights
	best, a, b := obj(w)
	t.Logf("start %.4f (labelled %.4f held-out %.4f) %+v", best, a, b, w)
	params := []*float64{&w.Text, &w.TextFull, &w.CBase, &w.CSpan, &w.Topic, &w.TopicMiss, &w.Person, &w.Household, &w.Entity, &w.Estate, &w.Building, &w.Block, &w.Conflict, &w.Alone, &w.Stranger, &w.District}
	grid := []float64{0.5, 0.7, 0.85, 0.95, 1.05, 1.15, 1.3, 1.6}
	for pass := 0; pass < 4; pass++ {
		for _, p := range params {
			orig := *p
			bestV := orig
			for _, g := range grid {
				*p = orig * g
				if v, _, _ := obj(w); v > best+1e-9 {
					best, bestV = v, *p
				}
			}
			*p = bestV
		}
	}
	best, a, b = obj(w)
	t.Logf("best %.4f (labelled %.4f held-out %.4f) %+v", best, a, b, w)
}
