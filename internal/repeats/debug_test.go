package repeats

import (
	"os"
	"strings"
	"testing"
)

func TestDebugEntities(t *testing.T) {
	ids := os.Getenv("REPEATS_SHOW")
	if ids == "" {
		t.Skip()
	}
	f, _ := os.Open(os.Getenv("REPEATS_FILE"))
	recs, _, _ := ReadLabelled(f)
	for _, r := range recs {
		if !strings.Contains(ids, r.ExternalID) {
			continue
		}
		text := normalize(r.Title + "。" + r.Content)
		var es []string
		extractEntities(text, func(k uint8, c []rune) { es = append(es, string(rune('0'+k))+string(c)) })
		extractEntities(compact(normalize(r.Address)), func(k uint8, c []rune) { es = append(es, string(rune('0'+k))+string(c)) })
		s := Sign(r.Record())
		t.Logf("%s ents=%v n=%d pop=%d topics=%v", r.ExternalID, es, s.NEnt, s.popcount(), s.Topics)
	}
}
