package repeats

import (
	"slices"
	"sort"
	"sync"
)

// Candidate is an earlier petition that may raise the same matter.
type Candidate struct {
	ID         int64
	ExternalID string
	Score      float64
	Reasons    []string
}

// Pair is two indexed petitions judged to be the same matter.
type Pair struct {
	A, B  string // external ids
	Score float64
}

// Options configure an Index. The zero value is usable.
type Options struct {
	Threshold    float64  // default DefaultThreshold
	MinScore     float64  // Candidates omits results below this (default 0.3)
	Weights      *Weights // default DefaultWeights
	ExpectedSize int      // pre-size the key table
	MaxChain     int      // newest matching nodes followed per key (default 200): bounds look-up time on hot keys
	// Disable signals (for ablation): identity keys, or text (MinHash,
	// bitset, topics, entities).
	NoIdentity, NoText bool
}

const chunkBits = 12
const chunkSize = 1 << chunkBits

// key slots per record: 6 identity keys (ID number, phone, name+address,
// household, building+unit, building), two keys per entity (the first and
// the last two characters of its name, so "锦绣华庭" meets "锦绣" and
// "督促博远" meets "博远"), Bands LSH keys.
const (
	slotIdentity = 0
	slotEntity   = 6
	slotBand     = slotEntity + 2*MaxEntities
	numSlots     = slotBand + Bands
)

type entry struct {
	id  int64
	ext string
	sig Signature
}

// Index holds signatures and finds candidates through inverted keys: exact
// identity keys, entity names and MinHash LSH bands. It is safe for
// concurrent use.
//
// Keys live in one direct-mapped table of chain heads (uint32) plus one
// "next" link per (record, slot); a chain node is verified by recomputing its
// key from the stored signature, so no keys or per-record maps are stored.
type Index struct {
	mu      sync.RWMutex
	opts    Options
	w       Weights
	chunks  [][]entry
	next    [][]uint32 // per chunk: chunkSize*numSlots links (node+1, 0 = end)
	head    []uint32   // node+1 of newest node whose key hashes here
	mask    uint64
	n       int
	entries int
}

// NewIndex makes an empty index.
func NewIndex(opts Options) *Index {
	if opts.Threshold == 0 {
		opts.Threshold = DefaultThreshold
	}
	if opts.MinScore == 0 {
		opts.MinScore = 0.3
	}
	if opts.MaxChain == 0 {
		opts.MaxChain = 200
	}
	ix := &Index{opts: opts, w: DefaultWeights}
	if opts.Weights != nil {
		ix.w = *opts.Weights
	}
	size := 1 << 16
	for size < opts.ExpectedSize*numSlots/3 {
		size <<= 1
	}
	ix.head = make([]uint32, size)
	ix.mask = uint64(size - 1)
	return ix
}

// Threshold is the operating threshold: Score ≥ Threshold means same matter.
func (ix *Index) Threshold() float64 { return ix.opts.Threshold }

// Len is the number of indexed records.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.n
}

func (ix *Index) at(i int) *entry { return &ix.chunks[i>>chunkBits][i&(chunkSize-1)] }

// keyOf returns the key of slot k of a signature, 0 if absent.
func (ix *Index) keyOf(s *Signature, k int) uint64 {
	switch {
	case k < slotEntity:
		if ix.opts.NoIdentity {
			return 0
		}
		switch k {
		case 0:
			return s.IDKey
		case 1:
			return s.PhoneKey
		case 2:
			return s.NameAddrKey
		case 3:
			return s.AddrKey
		case 4:
			return s.BuildKey
		default:
			return s.BlockKey
		}
	case k < slotBand:
		if ix.opts.NoText {
			return 0
		}
		v, kind := entityKey(s, k-slotEntity)
		if v == 0 {
			return 0
		}
		return mix64(uint64(v)<<8|uint64(kind)) | 1
	default:
		if ix.opts.NoText || s.Shingles < 3 {
			return 0
		}
		b := k - slotBand
		h := uint64(b+1) * 0x9E3779B97F4A7C15
		for r := 0; r < Rows; r++ {
			h = mix64(h ^ uint64(s.MinHash[b*Rows+r]))
		}
		return h | 1
	}
}

// entityKey returns the index key (head or tail bigram hash) of entity slot
// i and its kind; 0 when absent, weak, or a tail equal to the head.
func entityKey(s *Signature, i int) (uint32, uint8) {
	e := i / 2
	if e >= int(s.NEnt) {
		return 0, 0
	}
	en := &s.Entities[e]
	if i%2 == 0 {
		return en.Head, en.Kind &^ AddrFlag
	}
	if en.Tail == en.Head {
		return 0, 0
	}
	return en.Tail, en.Kind &^ AddrFlag
}

// slotTag separates the key spaces of the slot kinds in the head table.
func slotTag(k int) uint64 {
	switch {
	case k < slotEntity:
		return uint64(k + 1)
	case k < slotBand:
		return 7
	default:
		return 8
	}
}

func (ix *Index) bucket(key uint64, k int) uint64 {
	return mix64(key^slotTag(k)*0xA24BAED4963EE407) & ix.mask
}

// sameKeyClass: entity slots share one key space (any entity slot of one
// record matches any of another); every other slot matches only itself.
func sameClass(a, b int) bool {
	if a >= slotEntity && a < slotBand && b >= slotEntity && b < slotBand {
		return true
	}
	return a == b
}

// Add indexes a signature under a store id and external id.
func (ix *Index) Add(id int64, externalID string, sig Signature) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	i := ix.n
	if i>>chunkBits >= len(ix.chunks) {
		ix.chunks = append(ix.chunks, make([]entry, chunkSize))
		ix.next = append(ix.next, make([]uint32, chunkSize*numSlots))
	}
	sig.ID = id
	e := ix.at(i)
	e.id, e.ext, e.sig = id, externalID, sig
	ix.n++
	ix.link(i)
	if ix.entries > 2*len(ix.head) { // load factor ≤ 2: chains are filtered by slot anyway
		ix.rehash(len(ix.head) * 2)
	}
}

func (ix *Index) link(i int) {
	s := &ix.at(i).sig
	nx := ix.next[i>>chunkBits]
	base := (i & (chunkSize - 1)) * numSlots
	for k := 0; k < numSlots; k++ {
		key := ix.keyOf(s, k)
		if key == 0 {
			continue
		}
		b := ix.bucket(key, k)
		nx[base+k] = ix.head[b]
		ix.head[b] = uint32(i*numSlots+k) + 1
		ix.entries++
	}
}

func (ix *Index) rehash(size int) {
	ix.head = make([]uint32, size)
	ix.mask = uint64(size - 1)
	ix.entries = 0
	for i := 0; i < ix.n; i++ {
		ix.link(i)
	}
}

// sameKey reports whether slot ks of record s has the key of slot kq of the
// query q, comparing the signature fields directly (cheaper than hashing).
func (ix *Index) sameKey(q *Signature, kq int, s *Signature, ks int) bool {
	switch {
	case kq < slotEntity:
		return kq == ks && ix.keyOf(q, kq) == ix.keyOf(s, ks)
	case kq < slotBand:
		if ks < slotEntity || ks >= slotBand {
			return false
		}
		va, ka := entityKey(q, kq-slotEntity)
		vb, kb := entityKey(s, ks-slotEntity)
		return va == vb && ka == kb && va != 0
	default:
		if kq != ks {
			return false
		}
		o := (kq - slotBand) * Rows
		return [Rows]uint32(q.MinHash[o:o+Rows]) == [Rows]uint32(s.MinHash[o:o+Rows])
	}
}

// mentionKinds are the entity kinds probed with title bigrams.
var mentionKinds = [...]uint8{KindEstate, KindOrg, KindVillage, KindRoad, KindProject}

// bandOnly marks a gathered record reached only through LSH bands;
// viaMention one reached only through a title mention of this record (the
// other record's own look-up cannot reach this one); recMask keeps the record.
const (
	bandOnly   = 1 << 31
	viaMention = 1 << 30
	recMask    = viaMention - 1
)

// gather appends the indices of records sharing a key with s, sorted and
// unique; records reached only through LSH band keys carry the bandOnly bit.
func (ix *Index) gather(s *Signature, out []uint32) []uint32 {
	for k := 0; k < numSlots; k++ {
		key := ix.keyOf(s, k)
		if key == 0 {
			continue
		}
		band := k >= slotBand
		followed, steps := 0, 0
		node := ix.head[ix.bucket(key, k)]
		for node != 0 && followed < ix.opts.MaxChain && steps < 4*ix.opts.MaxChain {
			steps++
			nd := int(node - 1)
			rec, slot := nd/numSlots, nd%numSlots
			if band {
				// band keys are not verified here: a bucket collision only
				// adds a candidate that the score (and MinHash filter) drops
				if slot == k {
					out = append(out, uint32(rec)|bandOnly)
					followed++
				}
			} else if ix.sameKey(s, k, &ix.at(rec).sig, slot) {
				out = append(out, uint32(rec))
				followed++
			}
			node = ix.next[rec>>chunkBits][(rec&(chunkSize-1))*numSlots+slot]
		}
	}
	// title bigrams against entity names: a name in this petition's title
	// meets the same name among another petition's entities
	if !ix.opts.NoText {
		for _, m := range s.Mentions {
			if m == 0 {
				continue
			}
		probes:
			for _, kind := range mentionKinds {
				for e := 0; e < 2*int(s.NEnt); e++ {
					if v, k := entityKey(s, e); v == m && k == kind {
						continue probes // already followed as an entity key
					}
				}
				key := mix64(uint64(m)<<8|uint64(kind)) | 1
				followed, steps := 0, 0
				node := ix.head[ix.bucket(key, slotEntity)]
				for node != 0 && followed < ix.opts.MaxChain && steps < 4*ix.opts.MaxChain {
					steps++
					nd := int(node - 1)
					rec, slot := nd/numSlots, nd%numSlots
					if slot >= slotEntity && slot < slotBand {
						if v, k := entityKey(&ix.at(rec).sig, slot-slotEntity); v == m && k == kind {
							out = append(out, uint32(rec)|viaMention)
							followed++
						}
					}
					node = ix.next[rec>>chunkBits][(rec&(chunkSize-1))*numSlots+slot]
				}
			}
		}
	}
	// sort by record, shared keys (flags clear) before title mentions before
	// band-only, keep the first
	slices.SortFunc(out, func(a, b uint32) int {
		ra, rb := a&recMask, b&recMask
		if ra != rb {
			if ra < rb {
				return -1
			}
			return 1
		}
		return int(a>>30) - int(b>>30)
	})
	return slices.CompactFunc(out, func(a, b uint32) bool { return a&recMask == b&recMask })
}

// minhashAgree is the MinHash estimate of content Jaccard.
func minhashAgree(a, b *Signature) float64 {
	n := 0
	for i := range a.MinHash {
		if a.MinHash[i] == b.MinHash[i] {
			n++
		}
	}
	return float64(n) / NumHashes
}

// bandFloor: a record reached only through LSH bands is scored only if its
// MinHash Jaccard reaches this (text alone must be near-duplicate to count).
const bandFloor = 0.3

// Score compares two signatures directly with the index's weights.
func (ix *Index) Score(a, b Signature) (float64, []string) {
	return ix.score(&a, &b)
}

func (ix *Index) score(a, b *Signature) (float64, []string) {
	var why []string
	sc := ix.scoreWhy(a, b, &why)
	return sc, why
}

func (ix *Index) quickScore(a, b *Signature) float64 { return ix.scoreWhy(a, b, nil) }

func (ix *Index) scoreWhy(a, b *Signature, why *[]string) float64 {
	f := compare(a, b)
	if ix.opts.NoIdentity {
		f.ID, f.Phone, f.NameAddr, f.Addr = false, false, false, false
	}
	if ix.opts.NoText {
		f.J, f.C, f.TopicKnown, f.EntMatch, f.EntConflict, f.Building, f.Block = 0, 0, false, 0, 0, false, false
		// identity only: the same person or household is the same matter
		s := 0.0
		if f.ID || f.Phone || f.NameAddr {
			s = 1
			if why != nil {
				*why = []string{"person"}
			}
		} else if f.Addr {
			s = ix.opts.Threshold
			if why != nil {
				*why = []string{"address"}
			}
		}
		return s
	}
	return ix.w.scoreInto(f, why)
}

// Candidates returns up to limit indexed petitions most likely to raise the
// same matter as sig, best first (limit ≤ 0: all), with Score ≥ Options.MinScore. The record
// itself (same non-zero id) is excluded.
func (ix *Index) Candidates(sig Signature, limit int) []Candidate {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	recs := ix.gather(&sig, make([]uint32, 0, 64))
	type hit struct {
		rec   uint32
		score float64
	}
	var hits []hit
	for _, r := range recs {
		e := ix.at(int(r & recMask))
		if sig.ID != 0 && e.id == sig.ID {
			continue
		}
		if r&bandOnly != 0 && minhashAgree(&sig, &e.sig) < bandFloor {
			continue
		}
		r &= recMask
		if sc := ix.quickScore(&sig, &e.sig); sc >= ix.opts.MinScore {
			hits = append(hits, hit{r, sc})
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score > hits[j].score
		}
		return hits[i].rec > hits[j].rec // newer first
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Candidate, len(hits))
	for i, h := range hits {
		e := ix.at(int(h.rec))
		sc, why := ix.score(&sig, &e.sig)
		out[i] = Candidate{ID: e.id, ExternalID: e.ext, Score: sc, Reasons: why}
	}
	return out
}

// Pairs returns every pair of indexed records scoring at or above the
// threshold. Pairs are enumerated through shared keys, never all n² pairs.
func (ix *Index) Pairs() []Pair {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var out []Pair
	buf := make([]uint32, 0, 64)
	// a pair reached through a title mention of the later record is found
	// from the earlier one too (its own look-up cannot reach the later);
	// such pairs are remembered so that neither direction repeats them
	mentioned := map[[2]int]bool{}
	for i := 0; i < ix.n; i++ {
		a := ix.at(i)
		buf = ix.gather(&a.sig, buf[:0])
		for _, r := range buf {
			j := int(r & recMask)
			if j == i || (j > i && r&viaMention == 0) {
				continue
			}
			if r&viaMention != 0 {
				k := [2]int{min(i, j), max(i, j)}
				if mentioned[k] {
					continue
				}
				mentioned[k] = true
			}
			b := ix.at(j)
			if r&bandOnly != 0 && minhashAgree(&a.sig, &b.sig) < bandFloor {
				continue
			}
			if sc := ix.quickScore(&a.sig, &b.sig); sc >= ix.opts.Threshold {
				if j < i {
					out = append(out, Pair{A: b.ext, B: a.ext, Score: sc})
				} else {
					out = append(out, Pair{A: a.ext, B: b.ext, Score: sc})
				}
			}
		}
	}
	return out
}

// MemoryEstimate is the approximate heap size of the index in bytes.
func (ix *Index) MemoryEstimate() int64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var m int64
	const entrySize = 8 + 16 + int64(sigSize) + 16 // id, string header, signature (+padding)
	m += int64(len(ix.chunks)) * chunkSize * entrySize
	m += int64(len(ix.next)) * chunkSize * numSlots * 4
	m += int64(len(ix.head)) * 4
	for i := 0; i < ix.n; i++ {
		m += int64(len(ix.at(i).ext))
	}
	return m
}
