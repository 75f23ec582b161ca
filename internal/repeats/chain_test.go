package repeats

import (
	"os"
	"testing"
)

func TestChainStats(t *testing.T) {
	if os.Getenv("REPEATS_CHAIN") == "" {
		t.Skip()
	}
	g := NewSynth(1)
	ix := NewIndex(Options{ExpectedSize: 100000})
	var q []Signature
	for i := 0; i < 100000; i++ {
		r := g.Next()
		s := Sign(r)
		ix.Add(int64(i+1), r.ExternalID, s)
		if i%1000 == 0 {
			q = append(q, s)
		}
	}
	var per [numSlots]int
	for _, s := range q {
		for k := 0; k < numSlots; k++ {
			key := ix.keyOf(&s, k)
			if key == 0 {
				continue
			}
			node := ix.head[ix.bucket(key, k)]
			for node != 0 {
				nd := int(node - 1)
				rec, slot := nd/numSlots, nd%numSlots
				if sameClass(slot, k) && ix.keyOf(&ix.at(rec).sig, slot) == key {
					per[k]++
				}
				node = ix.next[rec>>chunkBits][(rec&(chunkSize-1))*numSlots+slot]
			}
		}
	}
	for k, v := range per {
		t.Logf("slot %d: avg %.1f", k, float64(v)/float64(len(q)))
	}
}
