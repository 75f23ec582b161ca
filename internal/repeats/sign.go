package repeats

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// Record is one petition or hotline ticket as the detector sees it.
type Record struct {
	ID           int64 // store id (0 for not yet stored)
	ExternalID   string
	ReceivedAt   time.Time
	Channel      string // letter|visit|online|hotline|mailbox
	Name         string
	IDNumber     string
	Phone        string
	DistrictCode string
	Address      string
	Title        string
	Content      string
}

const (
	// NumHashes is the number of MinHash values per signature.
	NumHashes = 64
	// Bands × Rows ≤ NumHashes is the LSH banding of the MinHash values.
	Bands = 10
	Rows  = 6
	// BitWords × 64 is the size of the character-bigram bitset.
	BitWords = 16
	// MaxEntities distinguishing names are kept per petition.
	MaxEntities = 6
	// NumMentions bigrams are kept per petition: up to half from the title,
	// the rest from the start of the content.
	NumMentions = 16
)

// Signature is everything the index needs about one petition (about 520
// bytes, no pointers): MinHash of the content shingles, a bitset of all
// bigrams (to test whether another petition's named place occurs in this
// one), identity keys, distinguishing entities, a theme profile, district
// and time.
type Signature struct {
	ID          int64
	Unix        int64
	MinHash     [NumHashes]uint32
	Bits        [BitWords]uint64
	IDKey       uint64 // ID-card number
	PhoneKey    uint64
	NameAddrKey uint64 // normalised name + household address
	AddrKey     uint64 // household address (building/unit/room precision)
	BuildKey    uint64 // the building (and unit) of the address: neighbours
	BlockKey    uint64 // the building of the address without unit: one block of an estate
	District    uint32
	Shingles    uint16 // distinct content shingles
	NEnt        uint8
	Entities    [MaxEntities]Entity
	Topics      [NumTopics]uint8
	// Mentions: hashes of the first Han bigrams of the title. A title
	// often names the place or party ("啟航教育退費", "老边村石料厂") without a
	// suffix; look-ups probe other petitions' entity keys with them.
	Mentions [NumMentions]uint32
}

var hashA, hashB [NumHashes]uint64

func init() {
	x := uint64(0x9E3779B97F4A7C15)
	for i := range hashA {
		x = mix64(x + 0x9E3779B97F4A7C15)
		hashA[i] = x | 1
		x = mix64(x + 0x9E3779B97F4A7C15)
		hashB[i] = x
	}
}

func bitPos(h uint64) uint16 { return uint16(h>>40) % (BitWords * 64) }

// Sign computes the signature of a record. It is pure.
func Sign(r Record) Signature {
	var s Signature
	s.ID = r.ID
	if !r.ReceivedAt.IsZero() {
		s.Unix = r.ReceivedAt.Unix()
	}
	if d, err := strconv.ParseUint(r.DistrictCode, 10, 32); err == nil {
		s.District = uint32(d)
	}
	if id := normIDNumber(r.IDNumber); id != "" {
		s.IDKey = hashString("id:" + id)
	}
	if p := normPhone(r.Phone); p != "" {
		s.PhoneKey = hashString("ph:" + p)
	}
	ak, nnum := addressKey(r.Address)
	name := normName(r.Name)
	if nnum >= 2 || (nnum >= 1 && len(ak) > 10) {
		s.AddrKey = hashString("ad:" + ak)
	}
	if nnum >= 3 || (nnum == 2 && len(ak) > 10) {
		// drop the room number: "锦绣华庭|3-2-501" → "锦绣华庭|3-2"
		if k := strings.LastIndexByte(ak, '-'); k > 0 {
			s.BuildKey = hashString("bd:" + ak[:k])
		}
	}
	if k := strings.IndexByte(ak, '|'); k >= 2*3 && nnum >= 2 {
		// the estate and the first number: "天泰城|15-1-302" → "天泰城|15"
		first := ak[k+1:]
		if j := strings.IndexByte(first, '-'); j > 0 {
			first = first[:j]
		}
		s.BlockKey = hashString("bk:" + ak[:k] + "|" + first)
	}
	if name != "" && ak != "|" {
		s.NameAddrKey = hashString("na:" + name + "@" + ak)
	}

	text := cnNumerals(normalize(r.Title + "。" + r.Content))
	s.Topics = countTopics(text)
	// entities from text and address
	seen := map[uint32]bool{}
	fromAddr := uint8(0)
	add := func(kind uint8, core []rune) {
		if int(s.NEnt) >= MaxEntities {
			return
		}
		k := uint32(hashRunes(core))
		if seen[k] {
			return
		}
		seen[k] = true
		e := Entity{Kind: kind | fromAddr, Key: k,
			Head: uint32(bigramHash(core[0], core[1])), Tail: uint32(bigramHash(core[len(core)-2], core[len(core)-1]))}
		for i := 0; i+1 < len(core) && e.N < 3; i++ {
			e.Bits[e.N] = bitPos(bigramHash(core[i], core[i+1]))
			e.N++
		}
		s.Entities[s.NEnt] = e
		s.NEnt++
	}
	// content with boilerplate and the writer's own name cut out: used for
	// entities (boilerplate verbs act as word breaks) and MinHash shingles
	cut := append([]rune{}, text...)
	var extra [][]rune
	if n := compact(normalize(r.Name)); len(n) >= 2 {
		extra = append(extra, n)
	}
	cutPhrases(cut, extra...)
	extractEntities(cut, add)
	fromAddr = AddrFlag
	extractEntities(compact(normalize(r.Address)), add)
	// title bigrams (boilerplate and the writer's name cut out)
	// and of the start of the content, where a petition usually names its
	// party ("泰和服装的女工们…", "宏远物流的老板…")
	title := cnNumerals(normalize(r.Title))
	cutPhrases(title, extra...)
	body := cnNumerals(normalize(r.Content))
	cutPhrases(body, extra...)
	nm := 0
	for part, src := range [2][]rune{title, body} {
		limit := NumMentions / 2 * (part + 1)
	outer:
		for i := 0; i+1 < len(src) && nm < limit; i++ {
			a, b := src[i], src[i+1]
			if !isHan(a) || !isHan(b) || mentionStop(a) || mentionStop(b) {
				continue
			}
			h := uint32(bigramHash(a, b))
			for _, x := range s.Mentions[:nm] {
				if x == h {
					continue outer
				}
			}
			s.Mentions[nm] = h
			nm++
		}
	}
	// bitset over the bigrams of the cut text and the address: content
	// overlap, and whether another petition's named place occurs in this one
	canon := canonicalize(cut)
	all := append(append([]rune{}, cut...), 0)
	all = append(append(all, canon...), 0)
	all = append(all, normalize(r.Address)...)
	for i := 0; i+1 < len(all); i++ {
		if isHan(all[i]) && isHan(all[i+1]) {
			p := bitPos(bigramHash(all[i], all[i+1]))
			s.Bits[p/64] |= 1 << (p % 64)
		}
	}
	for i := range s.MinHash {
		s.MinHash[i] = ^uint32(0)
	}
	uniq := make(map[uint64]struct{}, 256)
	shingles(canon, func(h uint64) {
		if _, ok := uniq[h]; ok {
			return
		}
		uniq[h] = struct{}{}
		for i := range s.MinHash {
			v := uint32((hashA[i]*h + hashB[i]) >> 32)
			if v < s.MinHash[i] {
				s.MinHash[i] = v
			}
		}
	})
	if len(uniq) > 65535 {
		s.Shingles = 65535
	} else {
		s.Shingles = uint16(len(uniq))
	}
	return s
}

// mentionStop: function words that cannot start or end a title mention;
// 和 can (泰和, 祥和), though it is a function word for shingles.
func mentionStop(c rune) bool { return stopRunes[c] && c != '和' }

func (s *Signature) popcount() int {
	n := 0
	for _, w := range s.Bits {
		n += bits.OnesCount64(w)
	}
	return n
}

func (s *Signature) has(p uint16) bool { return s.Bits[p/64]&(1<<(p%64)) != 0 }

// sigVersion 4: six more themes (NumTopics 39), synonym classes rewritten
// before shingling, variant characters folded, entity cores cut after admin
// names; version 3: BlockKey added. Older signatures are refused (re-sign
// the records: the detector's Rebuild does so on start).
const sigVersion = 4

// sigSize is the length of MarshalBinary's output.
const sigSize = 1 + 8 + 8 + NumHashes*4 + BitWords*8 + 6*8 + 4 + 2 + 1 + MaxEntities*(1+1+12+6) + NumTopics + NumMentions*4

// MarshalBinary encodes the signature (fixed length, little endian, with a
// version byte) for storage in a BLOB/BYTEA column.
func (s Signature) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, sigSize)
	b = append(b, sigVersion)
	b = binary.LittleEndian.AppendUint64(b, uint64(s.ID))
	b = binary.LittleEndian.AppendUint64(b, uint64(s.Unix))
	for _, v := range s.MinHash {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	for _, v := range s.Bits {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	for _, v := range []uint64{s.IDKey, s.PhoneKey, s.NameAddrKey, s.AddrKey, s.BuildKey, s.BlockKey} {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	b = binary.LittleEndian.AppendUint32(b, s.District)
	b = binary.LittleEndian.AppendUint16(b, s.Shingles)
	b = append(b, s.NEnt)
	for _, e := range s.Entities {
		b = append(b, e.Kind, e.N)
		b = binary.LittleEndian.AppendUint32(b, e.Key)
		b = binary.LittleEndian.AppendUint32(b, e.Head)
		b = binary.LittleEndian.AppendUint32(b, e.Tail)
		for _, p := range e.Bits {
			b = binary.LittleEndian.AppendUint16(b, p)
		}
	}
	b = append(b, s.Topics[:]...)
	for _, v := range s.Mentions {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b, nil
}

// ErrBadSignature is returned by UnmarshalBinary for data it did not write.
var ErrBadSignature = errors.New("repeats: bad signature encoding")

// UnmarshalBinary decodes MarshalBinary's output.
func (s *Signature) UnmarshalBinary(b []byte) error {
	if len(b) > 0 && b[0] != sigVersion {
		return fmt.Errorf("%w: version %d, this build reads version %d (re-sign the records)", ErrBadSignature, b[0], sigVersion)
	}
	if len(b) != sigSize {
		return ErrBadSignature
	}
	le := binary.LittleEndian
	p := 1
	u64 := func() uint64 { v := le.Uint64(b[p:]); p += 8; return v }
	u32 := func() uint32 { v := le.Uint32(b[p:]); p += 4; return v }
	u16 := func() uint16 { v := le.Uint16(b[p:]); p += 2; return v }
	var t Signature
	t.ID = int64(u64())
	t.Unix = int64(u64())
	for i := range t.MinHash {
		t.MinHash[i] = u32()
	}
	for i := range t.Bits {
		t.Bits[i] = u64()
	}
	t.IDKey, t.PhoneKey, t.NameAddrKey, t.AddrKey, t.BuildKey, t.BlockKey = u64(), u64(), u64(), u64(), u64(), u64()
	t.District = u32()
	t.Shingles = u16()
	t.NEnt = b[p]
	p++
	if t.NEnt > MaxEntities {
		return ErrBadSignature
	}
	for i := range t.Entities {
		e := &t.Entities[i]
		e.Kind, e.N = b[p], b[p+1]
		p += 2
		e.Key, e.Head, e.Tail = u32(), u32(), u32()
		for k := range e.Bits {
			e.Bits[k] = u16()
		}
	}
	copy(t.Topics[:], b[p:])
	p += NumTopics
	for i := range t.Mentions {
		t.Mentions[i] = u32()
	}
	*s = t
	return nil
}
