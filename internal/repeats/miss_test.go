package repeats

import (
	"os"
	"testing"
)

func TestMissDebug(t *testing.T) {
	if os.Getenv("REPEATS_MISS") == "" {
		t.Skip()
	}
	g := NewSynth(1)
	ix := NewIndex(Options{ExpectedSize: 50000})
	var recs []Record
	for i := 0; i < 50000; i++ {
		r := g.Next()
		r.ID = int64(i + 1)
		recs = append(recs, r)
		ix.Add(r.ID, r.ExternalID, Sign(r))
	}
	shown := 0
	for qi := 0; qi < 50000 && shown < 5; qi += 2500 {
		s := Sign(recs[qi])
		fast := map[int64]bool{}
		for _, c := range ix.Candidates(s, 0) {
			fast[c.ID] = true
		}
		for _, c := range ix.ScanAll(s, 0) {
			if c.Score >= ix.Threshold() && !fast[c.ID] {
				o := recs[c.ID-1]
				t.Logf("q %d %s | %s\n   c %d %.2f %v %s | %s", qi, recs[qi].Name, recs[qi].Content, c.ID, c.Score, c.Reasons, o.Name, o.Content)
				shown++
			}
		}
	}
}
