package repeats

import "testing"

func TestExhaustivePairsF1(t *testing.T) {
	for _, file := range []string{"testdata/labelled.jsonl", "testdata/heldout.jsonl", "testdata/fresh.jsonl", "testdata/fresh2.jsonl"} {
		recs, labels := load(t, file)
		ix := NewIndex(Options{})
		sigs := make([]Signature, len(recs))
		for i, r := range recs {
			sigs[i] = Sign(r.Record())
			ix.Add(int64(i+1), r.ExternalID, sigs[i])
		}
		var pairs []Pair
		for i := range sigs {
			for j := 0; j < i; j++ {
				if s, _ := ix.Score(sigs[i], sigs[j]); s >= ix.Threshold() {
					pairs = append(pairs, Pair{A: recs[j].ExternalID, B: recs[i].ExternalID, Score: s})
				}
			}
		}
		t.Logf("%s exhaustive: %v; index: %v", file, Evaluate(pairs, labels), Evaluate(ix.Pairs(), labels))
	}
}
