package repeats

import (
	"os"
	"testing"
)

func TestQuickEval(t *testing.T) {
	for _, p := range []string{"testdata/labelled.jsonl", "testdata/heldout.jsonl"} {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		recs, labels, err := ReadLabelled(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d recs, %d matters", p, len(recs), len(labels))
		t.Logf("both:     %v", EvaluateRecords(recs, labels, Options{}))
		var xl []Label
		for _, l := range labels {
			if len(l.ExternalIDs) > 0 && l.ExternalIDs[0][:6] == "HLD-X-" {
				xl = append(xl, l)
			}
		}
		if len(xl) > 0 {
			t.Logf("both, hand-written part: %v", EvaluateRecords(recs, xl, Options{}))
		}
		t.Logf("identity: %v", EvaluateRecords(recs, labels, Options{NoText: true}))
		t.Logf("text:     %v", EvaluateRecords(recs, labels, Options{NoIdentity: true}))
	}
}
