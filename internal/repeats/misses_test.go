//go:build devtools

// Developer tools, built only with -tags devtools so that ordinary test runs
// neither compile nor skip them.

package repeats

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// TestMisses lists false pairs and missed true pairs of a development file
// (REPEATS_MISSES=testdata/fresh.jsonl). fresh.jsonl became development data
// when its errors were analysed for signature version 4; fresh2.jsonl is
// never listed.
func TestMisses(t *testing.T) {
	path := os.Getenv("REPEATS_MISSES")
	if path == "" {
		t.Skip("set REPEATS_MISSES")
	}
	if strings.Contains(path, "fresh2") {
		t.Fatal("fresh2.jsonl is the unseen evaluation set: its errors are not listed")
	}
	recs, _ := load(t, path)
	ix := NewIndex(Options{})
	sigs := make([]Signature, len(recs))
	for i, r := range recs {
		sigs[i] = Sign(r.Record())
		ix.Add(int64(i+1), r.ExternalID, sigs[i])
	}
	found := map[[2]string]bool{}
	for _, p := range ix.Pairs() {
		found[[2]string{p.A, p.B}] = true
		found[[2]string{p.B, p.A}] = true
	}
	type miss struct {
		s    float64
		line string
	}
	var out []miss
	for i := range recs {
		for j := 0; j < i; j++ {
			same := recs[i].Matter == recs[j].Matter
			sc, why := ix.Score(sigs[i], sigs[j])
			got := found[[2]string{recs[i].ExternalID, recs[j].ExternalID}]
			show := os.Getenv("REPEATS_SHOW") != "" && strings.Contains(os.Getenv("REPEATS_SHOW"), recs[i].Matter) && strings.Contains(os.Getenv("REPEATS_SHOW"), recs[j].Matter) && !same
			if same == got && !show {
				continue
			}
			kind := "MISS"
			if got {
				kind = "FALSE"
			} else if sc >= ix.Threshold() {
				kind = "INDEXMISS"
			}
			f := compare(&sigs[i], &sigs[j])
			out = append(out, miss{sc, kind + " " + recs[i].Matter + " / " + recs[j].Matter + "\n   " +
				recs[i].Address + " | " + recs[i].Title + " | " + recs[i].Content + "\n   " +
				recs[j].Address + " | " + recs[j].Title + " | " + recs[j].Content + "\n   " +
				fmtF(sc, why, f)})
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].s > out[b].s })
	for _, m := range out {
		t.Log(m.line)
	}
}

func fmtF(sc float64, why []string, f features) string {
	return fmt.Sprintf("score %.3f %v J=%.2f C=%.2f topic=%.2f/%v em=%d org=%v ec=%d ind=%v", sc, why, f.J, f.C, f.Topic, f.TopicKnown, f.EntMatch, f.OrgMatch, f.EntConflict, f.Individual)
}

// TestEntities prints the entities of REPEATS_TEXT (debugging aid).
func TestEntities(t *testing.T) {
	s := os.Getenv("REPEATS_TEXT")
	if s == "" {
		t.Skip("set REPEATS_TEXT")
	}
	text := normalize(s)
	cutPhrases(text)
	extractEntities(text, func(kind uint8, core []rune) { t.Logf("kind %d %s", kind, string(core)) })
}
