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
		t.Logf("identity: %v", EvaluateRecords(recs, labels, Options{NoText: true}))
		t.Logf("text:     %v", EvaluateRecords(recs, labels, Options{NoIdentity: true}))
	}
}
