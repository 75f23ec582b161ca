package repeats

import "math/bits"

// features compares two signatures.
type features struct {
	J            float64 // MinHash estimate of content-shingle Jaccard
	C            float64 // bigram bitset overlap / smaller popcount
	Topic        float64 // cosine of theme profiles
	TopicKnown   bool
	ID, Phone    bool
	NameAddr     bool
	Addr         bool
	Building     bool
	Block        bool // same building of one estate, another unit
	EntMatch     int  // strong entities of one found in the other
	OrgMatch     bool // an organisation, village, project or road in common (not just an estate)
	Individual   bool // both are about an individual's own entitlement (school place, medical, pension, benefits)
	EntConflict  int  // strong kinds named by both with no name in common
	SameDistrict bool
	BothDistrict bool // both district codes known
	Days         float64
}

// strong kinds set petitions apart when named differently; all kinds
// (schools and hospitals too) link petitions that name the same one.
func strong(k uint8) bool { k &^= AddrFlag; return k >= KindEstate && k <= KindProject }

// contains reports whether s names entity e: the same core among s's own
// entities, or (for cores of three or more characters) all of the core's
// bigrams present in s's bitset.
func contains(s *Signature, e *Entity) bool {
	for i := 0; i < int(s.NEnt); i++ {
		if s.Entities[i].Key == e.Key || related(&s.Entities[i], e) == relSame {
			return true
		}
	}
	if e.N < 2 {
		// a two-character core is too short for the bitset (collisions);
		// its exact hash among the title's bigrams counts ("宏达欠薪仍未解决"
		// names 宏达 of "宏达建筑工程有限公司")
		if e.Kind&^AddrFlag == KindEstate {
			// an estate's two characters in a title are an abbreviation
			// only when that petition names no estate of its own
			// ("金色" of 金色家园 is not 金色港湾)
			for i := 0; i < int(s.NEnt); i++ {
				if s.Entities[i].Kind&^AddrFlag == KindEstate {
					return false
				}
			}
		}
		for _, m := range s.Mentions {
			if m != 0 && m == e.Head {
				return true
			}
		}
		return false
	}
	for i := uint8(0); i < e.N; i++ {
		if !s.has(e.Bits[i]) {
			return false
		}
	}
	return true
}

const (
	relNone    = iota
	relSame    // one core ends the other ("北侧石料" / "石料"), or begins it for a party or village ("二道湾" / "二道湾子")
	relPartial // an estate's core begins the other's ("碧海" / "碧海蓝湾"): an abbreviation or another estate
)

// related compares two entity cores of one kind without their text: cores
// are 2–4 characters, N+1 long, with the hashes of their first and last
// bigrams and the bitset positions of their first three bigrams.
func related(a, b *Entity) int {
	if a.Kind&^AddrFlag != b.Kind&^AddrFlag {
		return relNone
	}
	if a.Key == b.Key {
		return relSame
	}
	if a.N > b.N {
		a, b = b, a
	}
	if a.N == b.N || a.N > 2 {
		return relNone
	}
	var suffix, prefix bool
	if a.N == 1 {
		suffix = a.Head == b.Tail
		prefix = a.Head == b.Head
	} else { // 3 characters against 4
		suffix = a.Tail == b.Tail && a.Bits[0] == b.Bits[1] && a.Bits[1] == b.Bits[2]
		prefix = a.Head == b.Head && a.Bits[1] == b.Bits[1]
	}
	k := a.Kind &^ AddrFlag
	switch {
	case suffix:
		return relSame
	case prefix && (k == KindOrg || k == KindProject || (a.N == 2 && k != KindEstate)):
		// "宏达" / "宏达石材"; villages and roads only 3 in 4 characters
		// ("二道湾" / "二道湾子", not "二道" / "二道湾子")
		return relSame
	case prefix && k == KindEstate:
		return relPartial
	}
	return relNone
}

// namesOther reports whether s's text names one or more entities of e's
// kind, none of them e: then e occurring in s is incidental (a road named
// like another estate) and s is about a different one.
func namesOther(s *Signature, e *Entity) bool {
	k := e.Kind &^ AddrFlag
	other := false
	for i := 0; i < int(s.NEnt); i++ {
		x := &s.Entities[i]
		if x.Kind != k { // text entities of the same kind only
			continue
		}
		if x.Key == e.Key || x.Head == e.Head || x.Tail == e.Tail || x.Head == e.Tail || x.Tail == e.Head || related(x, e) != relNone {
			return false
		}
		other = true
	}
	return other
}

func compare(a, b *Signature) features {
	var f features
	same := 0
	for i := range a.MinHash {
		if a.MinHash[i] == b.MinHash[i] && a.MinHash[i] != ^uint32(0) {
			same++
		}
	}
	f.J = float64(same) / NumHashes
	inter, pa, pb := 0, 0, 0
	for i := range a.Bits {
		inter += bits.OnesCount64(a.Bits[i] & b.Bits[i])
		pa += bits.OnesCount64(a.Bits[i])
		pb += bits.OnesCount64(b.Bits[i])
	}
	if m := min(pa, pb); m > 0 {
		f.C = float64(inter) / float64(m)
	}
	f.Topic, f.TopicKnown = topicCosine(&a.Topics, &b.Topics)
	f.ID = a.IDKey != 0 && a.IDKey == b.IDKey
	f.Phone = a.PhoneKey != 0 && a.PhoneKey == b.PhoneKey
	f.NameAddr = a.NameAddrKey != 0 && a.NameAddrKey == b.NameAddrKey
	f.Addr = a.AddrKey != 0 && a.AddrKey == b.AddrKey
	f.Building = a.BuildKey != 0 && a.BuildKey == b.BuildKey
	f.Block = a.BlockKey != 0 && a.BlockKey == b.BlockKey
	f.SameDistrict = a.District != 0 && a.District == b.District
	f.BothDistrict = a.District != 0 && b.District != 0
	if a.Unix != 0 && b.Unix != 0 {
		d := a.Unix - b.Unix
		if d < 0 {
			d = -d
		}
		f.Days = float64(d) / 86400
	}
	var kindsA, kindsB, matchedKinds uint32
	for i := 0; i < int(a.NEnt); i++ {
		e := &a.Entities[i]
		k := e.Kind &^ AddrFlag
		if e.Kind&AddrFlag == 0 && strong(k) {
			kindsA |= 1 << k
		}
		if k == KindRoad && e.Kind&AddrFlag != 0 {
			continue // one street in two addresses: neighbours, not one matter
		}
		if contains(b, e) && !namesOther(b, e) {
			matchedKinds |= 1 << k
			f.EntMatch++
			// a name both found only in addresses (two people of one
			// village) links weakly, like an estate
			f.OrgMatch = f.OrgMatch || (k != KindEstate && e.Kind&AddrFlag == 0)
		}
	}
	for i := 0; i < int(b.NEnt); i++ {
		e := &b.Entities[i]
		k := e.Kind &^ AddrFlag
		if e.Kind&AddrFlag == 0 && strong(k) {
			kindsB |= 1 << k
		}
		if k == KindRoad && e.Kind&AddrFlag != 0 {
			continue // one street in two addresses: neighbours, not one matter
		}
		if contains(a, e) && !namesOther(a, e) {
			matchedKinds |= 1 << k
			f.EntMatch++
			// a name both found only in addresses (two people of one
			// village) links weakly, like an estate
			f.OrgMatch = f.OrgMatch || (k != KindEstate && e.Kind&AddrFlag == 0)
		}
	}
	var partialKinds uint32
	for i := 0; i < int(a.NEnt); i++ {
		for j := 0; j < int(b.NEnt); j++ {
			if related(&a.Entities[i], &b.Entities[j]) == relPartial {
				partialKinds |= 1 << (a.Entities[i].Kind &^ AddrFlag)
			}
		}
	}
	f.EntConflict = bits.OnesCount32(kindsA & kindsB &^ (matchedKinds | partialKinds))
	if otherBuilding(a, b) && dominant(&a.Topics) == topicLift && dominant(&b.Topics) == topicLift {
		// a lift serves one building: another building's lift is another matter
		f.EntConflict++
	}
	f.Individual = individual(&a.Topics) && individual(&b.Topics)
	return f
}

// otherBuilding reports whether both petitions name one estate but their
// addresses are in different buildings of it.
func otherBuilding(a, b *Signature) bool {
	if a.BlockKey == 0 || b.BlockKey == 0 || a.BlockKey == b.BlockKey {
		return false
	}
	for i := 0; i < int(a.NEnt); i++ {
		if a.Entities[i].Kind&^AddrFlag != KindEstate {
			continue
		}
		for j := 0; j < int(b.NEnt); j++ {
			if b.Entities[j].Kind&^AddrFlag == KindEstate && b.Entities[j].Key == a.Entities[i].Key {
				return true
			}
		}
	}
	return false
}

// dominant is the theme with the most words (-1 when none).
func dominant(v *[NumTopics]uint8) int {
	best, bi := uint8(0), -1
	for i, c := range v {
		if c > best {
			best, bi = c, i
		}
	}
	return bi
}

// Weights of the score; see the package comment for how they were chosen.
type Weights struct {
	Text      float64 // weight of text similarity (scaled so that TextFull counts 1)
	TextFull  float64 // Jaccard at which text alone is full evidence
	CBase     float64 // bigram overlap (of the smaller text) that counts as nothing
	CSpan     float64 // ... and the overlap above CBase that counts as full evidence
	Topic     float64 // bonus when theme profiles agree (cosine ≥ 0.5)
	TopicMiss float64 // penalty when both have themes and they disagree (cosine < 0.2)
	Person    float64 // same ID number, phone or name+address
	Household float64 // same household address
	Entity    float64 // a named company/village/project/road in common
	Estate    float64 // only a named estate (小区) in common
	Building  float64 // neighbours: same building (and unit) of one estate
	Block     float64 // same building of one estate, another unit
	Conflict  float64 // penalty per kind named differently
	Alone     float64 // penalty when nothing but text links them (no person, place or party in common)
	Stranger  float64 // penalty when an individual entitlement (school, medical, pension, benefits) is raised by another household
	District  float64 // bonus for same district, the same penalty for different
}

// DefaultWeights were tuned on testdata/labelled.jsonl and heldout.jsonl (never on fresh.jsonl).
var DefaultWeights = Weights{
	Text: 0.65, TextFull: 0.69, CBase: 0.44, CSpan: 0.42, Topic: 0.22, TopicMiss: 0.3,
	Person: 0.5, Household: 0.49, Entity: 0.36, Estate: 0.31, Building: 0.47, Block: 0.315,
	Conflict: 0.31, Alone: 0.33, Stranger: 0.2, District: 0.095,
}

// DefaultThreshold is the operating point: Score ≥ threshold means same matter.
const DefaultThreshold = 0.6

func (w *Weights) score(f features) (float64, []string) {
	var reasons []string
	sc := w.scoreInto(f, &reasons)
	return sc, reasons
}

// scoreInto computes the score; reasons are appended when why is not nil.
func (w *Weights) scoreInto(f features, why *[]string) float64 {
	var reasons []string
	t := f.J / w.TextFull
	if c := (f.C - w.CBase) / w.CSpan; c > t {
		t = c
	}
	if t > 1 {
		t = 1
	}
	if t < 0 {
		t = 0
	}
	s := w.Text * t
	if t >= 0.5 {
		reasons = addReason(why, reasons, "text")
	}
	if f.TopicKnown {
		if f.Topic >= 0.5 {
			s += w.Topic
			reasons = addReason(why, reasons, "topic")
		} else if f.Topic < 0.2 {
			s -= w.TopicMiss
		}
	}
	anchor := 0.0
	if f.ID {
		anchor = w.Person
		reasons = addReason(why, reasons, "id_number")
	}
	if f.Phone {
		anchor = w.Person
		reasons = addReason(why, reasons, "phone")
	}
	if f.NameAddr {
		anchor = w.Person
		reasons = addReason(why, reasons, "name_address")
	}
	if f.Addr {
		anchor = max(anchor, w.Household)
		reasons = addReason(why, reasons, "address")
	}
	if f.Building && !f.Individual {
		anchor = max(anchor, w.Building)
		reasons = addReason(why, reasons, "building")
	} else if f.Block && !f.Individual {
		anchor = max(anchor, w.Block)
		reasons = addReason(why, reasons, "building")
	}
	if f.EntMatch > 0 && !f.Individual {
		if f.OrgMatch {
			anchor = max(anchor, w.Entity)
		} else {
			anchor = max(anchor, w.Estate)
		}
		reasons = addReason(why, reasons, "entity")
	}
	s += anchor
	if anchor == 0 {
		s -= w.Alone
	}
	if f.Individual && !(f.ID || f.Phone || f.NameAddr || f.Addr) {
		s -= w.Stranger
	}
	if f.EntConflict > 0 {
		s -= w.Conflict * float64(f.EntConflict)
		reasons = addReason(why, reasons, "entity_conflict")
	}
	if f.SameDistrict {
		s += w.District
		reasons = addReason(why, reasons, "district")
	} else if f.BothDistrict {
		s -= w.District
	}
	if s < 0 {
		s = 0
	}
	if s > 1 {
		s = 1
	}
	if why != nil {
		*why = reasons
	}
	return s
}

func addReason(why *[]string, r []string, code string) []string {
	if why == nil {
		return r
	}
	return append(r, code)
}
