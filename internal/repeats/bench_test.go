package repeats

import (
	"io"
	"os"
	"sync"
	"testing"
)

var (
	benchOnce sync.Once
	benchIx   *Index
	benchQ    []Signature
)

func benchIndex() (*Index, []Signature) {
	benchOnce.Do(func() {
		g := NewSynth(1)
		benchIx = NewIndex(Options{ExpectedSize: 100000})
		for i := 0; i < 100000; i++ {
			r := g.Next()
			r.ID = int64(i + 1)
			s := Sign(r)
			benchIx.Add(r.ID, r.ExternalID, s)
			if i%1000 == 0 {
				benchQ = append(benchQ, s)
			}
		}
		for i := 0; i < 100; i++ {
			benchQ = append(benchQ, Sign(g.Next()))
		}
	})
	return benchIx, benchQ
}

// BenchmarkCandidates: look-up in an index of 100k synthetic petitions.
func BenchmarkCandidates(b *testing.B) {
	ix, q := benchIndex()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix.Candidates(q[i%len(q)], 10)
	}
}

// BenchmarkExhaustive: the same look-up by comparing with every record.
func BenchmarkExhaustive(b *testing.B) {
	ix, q := benchIndex()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ix.ScanAll(q[i%len(q)], 10)
	}
}

func BenchmarkSign(b *testing.B) {
	g := NewSynth(2)
	recs := make([]Record, 256)
	for i := range recs {
		recs[i] = g.Next()
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Sign(recs[i%len(recs)])
	}
}

func TestBenchSmall(t *testing.T) {
	w := io.Discard
	if testing.Verbose() {
		w = os.Stdout
	}
	if err := Bench(5000, 200, w); err != nil {
		t.Fatal(err)
	}
}
