//go:build devtools

// Developer tools, built only with -tags devtools so that ordinary test runs
// neither compile nor skip them.

package repeats

import (
	"fmt"
	"os"
	"testing"
)

// TestDumpFeatures writes features of all key-sharing pairs (for tuning).
func TestDumpFeatures(t *testing.T) {
	path := os.Getenv("REPEATS_DUMP")
	if path == "" {
		t.Skip("set REPEATS_DUMP")
	}
	f, _ := os.Open(os.Getenv("REPEATS_FILE"))
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
	out, _ := os.Create(path)
	defer out.Close()
	fmt.Fprintln(out, "a\tb\tsame\tcand\tJ\tC\ttopic\ttk\tid\tphone\tna\taddr\tem\tec\tsd\tdays\tscore")
	for i := range recs {
		cands := map[int]bool{}
		for _, r := range ix.gather(&sigs[i], nil) {
			cands[int(r&recMask)] = true
		}
		for j := 0; j < i; j++ {
			same := recs[i].Matter == recs[j].Matter
			f := compare(&sigs[i], &sigs[j])
			sc, _ := ix.w.score(f)
			if !same && !cands[j] && sc < 0.3 {
				continue
			}
			fmt.Fprintf(out, "%s\t%s\t%v\t%v\t%.3f\t%.3f\t%.2f\t%v\t%v\t%v\t%v\t%v\t%d\t%d\t%v\t%.0f\t%.3f\n",
				recs[j].ExternalID, recs[i].ExternalID, same, cands[j], f.J, f.C, f.Topic, f.TopicKnown, f.ID, f.Phone, f.NameAddr, f.Addr, f.EntMatch, f.EntConflict, f.SameDistrict, f.Days, sc)
		}
	}
}
