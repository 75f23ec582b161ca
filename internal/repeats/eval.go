package repeats

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Label groups the external ids of petitions that raise one matter.
type Label struct {
	Matter      string
	ExternalIDs []string
}

// Metrics are pairwise precision, recall and F1.
type Metrics struct {
	TruePairs, PredictedPairs, Correct int
	Precision, Recall, F1              float64
}

func (m Metrics) String() string {
	return fmt.Sprintf("P=%.3f R=%.3f F1=%.3f (correct %d, predicted %d, true %d)",
		m.Precision, m.Recall, m.F1, m.Correct, m.PredictedPairs, m.TruePairs)
}

// Evaluate scores predicted pairs against labelled matters: a pair is correct
// when both petitions carry the same matter. Predicted pairs touching
// unlabelled petitions are ignored.
func Evaluate(pairs []Pair, labels []Label) Metrics {
	matter := map[string]int{}
	var m Metrics
	for i, l := range labels {
		for _, id := range l.ExternalIDs {
			matter[id] = i
		}
		n := len(l.ExternalIDs)
		m.TruePairs += n * (n - 1) / 2
	}
	seen := map[[2]string]bool{}
	for _, p := range pairs {
		a, b := p.A, p.B
		if a > b {
			a, b = b, a
		}
		if a == b || seen[[2]string{a, b}] {
			continue
		}
		seen[[2]string{a, b}] = true
		ma, okA := matter[a]
		mb, okB := matter[b]
		if !okA || !okB {
			continue
		}
		m.PredictedPairs++
		if ma == mb {
			m.Correct++
		}
	}
	if m.PredictedPairs > 0 {
		m.Precision = float64(m.Correct) / float64(m.PredictedPairs)
	}
	if m.TruePairs > 0 {
		m.Recall = float64(m.Correct) / float64(m.TruePairs)
	}
	if m.Precision+m.Recall > 0 {
		m.F1 = 2 * m.Precision * m.Recall / (m.Precision + m.Recall)
	}
	return m
}

// Cluster closes pairs transitively (union-find) and returns every pair
// inside each resulting group: "linked to the same problem".
func Cluster(pairs []Pair) []Pair {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok || p == x {
			parent[x] = x
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	for _, p := range pairs {
		a, b := find(p.A), find(p.B)
		if a != b {
			parent[a] = b
		}
	}
	groups := map[string][]string{}
	for x := range parent {
		r := find(x)
		groups[r] = append(groups[r], x)
	}
	var out []Pair
	for _, g := range groups {
		for i := range g {
			for j := i + 1; j < len(g); j++ {
				out = append(out, Pair{A: g[i], B: g[j], Score: 1})
			}
		}
	}
	return out
}

// LabelledRecord is one line of a labelled JSONL file.
type LabelledRecord struct {
	ExternalID string `json:"external_id"`
	ReceivedAt string `json:"received_at"`
	Channel    string `json:"channel"`
	Name       string `json:"petitioner_name"`
	IDNumber   string `json:"petitioner_id_number"`
	Phone      string `json:"phone"`
	District   string `json:"district_code"`
	Address    string `json:"address"`
	Title      string `json:"title"`
	Content    string `json:"content"`
	Matter     string `json:"matter"`
}

// Record converts a labelled line to a Record.
func (l LabelledRecord) Record() Record {
	t, _ := time.Parse(time.RFC3339, l.ReceivedAt)
	return Record{ExternalID: l.ExternalID, ReceivedAt: t, Channel: l.Channel, Name: l.Name,
		IDNumber: l.IDNumber, Phone: l.Phone, DistrictCode: l.District, Address: l.Address,
		Title: l.Title, Content: l.Content}
}

// ReadLabelled parses a labelled JSONL file (one petition per line).
func ReadLabelled(r io.Reader) ([]LabelledRecord, []Label, error) {
	var recs []LabelledRecord
	idx := map[string]int{}
	var labels []Label
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	line := 0
	for sc.Scan() {
		line++
		if len(sc.Bytes()) == 0 {
			continue
		}
		var l LabelledRecord
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, nil, fmt.Errorf("line %d: %w", line, err)
		}
		recs = append(recs, l)
		if l.Matter == "" {
			continue
		}
		i, ok := idx[l.Matter]
		if !ok {
			i = len(labels)
			idx[l.Matter] = i
			labels = append(labels, Label{Matter: l.Matter})
		}
		labels[i].ExternalIDs = append(labels[i].ExternalIDs, l.ExternalID)
	}
	return recs, labels, sc.Err()
}

// EvaluateRecords indexes the records in arrival order and evaluates Pairs.
func EvaluateRecords(recs []LabelledRecord, labels []Label, opts Options) Metrics {
	ix := NewIndex(opts)
	for i, l := range recs {
		ix.Add(int64(i+1), l.ExternalID, Sign(l.Record()))
	}
	return Evaluate(ix.Pairs(), labels)
}
