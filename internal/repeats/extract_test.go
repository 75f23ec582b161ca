package repeats

import (
	"errors"
	"strings"
	"testing"
)

func entitiesOf(s string) []string {
	var out []string
	r := normalize(s)
	cutPhrases(r)
	seen := map[string]bool{}
	extractEntities(cnNumerals(r), func(kind uint8, core []rune) {
		if !seen[string(core)] {
			seen[string(core)] = true
			out = append(out, string(core))
		}
	})
	return out
}

// Names found with and without their suffixes, behind position words, in
// traditional characters and before building numbers.
func TestEntityExtraction(t *testing.T) {
	cases := []struct{ text, want string }{
		{"来电人称其父亲在曹庄镇二道边村的海参圈", "二道边"},
		{"老边村北山的石料厂天天放炮", "老边 石料"},
		{"村北侧石料厂开采", "石料"},
		{"孩子在啟航教育報了英語班", "启航"},
		{"启航教育培训学校突然停课", "启航"},
		{"我是海悅海鮮大酒店的傳菜員", "海悦"},
		{"站前棚改回迁房", "站前"},
		{"我的孩子在连山实验中学住校", "实验"},
		{"我爸媽住天泰城15號樓，暖氣不熱", "天泰城"},
		{"海韵嘉园三号楼二单元", "海韵"},
		{"向教育局反映", ""},
		{"到农业农村局问", ""},
	}
	for _, c := range cases {
		if got := strings.Join(entitiesOf(c.text), " "); got != c.want {
			t.Errorf("%s: entities %q, want %q", c.text, got, c.want)
		}
	}
}

func entity(kind uint8, core string) Entity {
	r := []rune(core)
	e := Entity{Kind: kind, Key: uint32(hashRunes(r)), Head: uint32(bigramHash(r[0], r[1])), Tail: uint32(bigramHash(r[len(r)-2], r[len(r)-1]))}
	for i := 0; i+1 < len(r) && e.N < 3; i++ {
		e.Bits[e.N] = bitPos(bigramHash(r[i], r[i+1]))
		e.N++
	}
	return e
}

// One core beginning or ending the other is the same name for a party or
// village; an estate's prefix is only "not a conflict".
func TestRelatedEntities(t *testing.T) {
	cases := []struct {
		kind uint8
		a, b string
		want int
	}{
		{KindOrg, "石料", "北侧石料", relSame},
		{KindOrg, "宏达", "宏达石材", relSame},
		{KindVillage, "二道湾", "二道湾子", relSame},
		{KindVillage, "二道", "二道湾子", relNone},
		{KindEstate, "碧海", "碧海蓝湾", relPartial},
		{KindEstate, "金色", "金色港湾", relPartial},
		{KindEstate, "碧海", "碧水", relNone},
		{KindOrg, "宏达", "宏远", relNone},
		{KindOrg, "达宏", "宏达", relNone},
	}
	for _, c := range cases {
		a, b := entity(c.kind, c.a), entity(c.kind, c.b)
		if got := related(&a, &b); got != c.want {
			t.Errorf("related(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := related(&b, &a); got != c.want {
			t.Errorf("related(%s, %s) = %d, want %d", c.b, c.a, got, c.want)
		}
	}
}

func TestChineseRoomNumbers(t *testing.T) {
	a, _ := addressKey("兴城市宁远小区4号楼1单元301室")
	if b, _ := addressKey("兴城市宁远小区四号楼一单元三〇一室"); b != a {
		t.Errorf("addressKey = %q, want %q", b, a)
	}
}

// Signatures of an older layout are refused with a clear error.
func TestOldSignatureVersionRefused(t *testing.T) {
	b, _ := Sign(Record{Content: "暖气不热"}).MarshalBinary()
	b[0] = 2
	var s Signature
	err := s.UnmarshalBinary(b)
	if err == nil || !errors.Is(err, ErrBadSignature) || !strings.Contains(err.Error(), "re-sign") {
		t.Errorf("version-2 signature: err = %v", err)
	}
}

// A name that a title mentions without any suffix meets the same name among
// another petition's entities through the index (in both directions of Pairs).
func TestTitleMentionReachesEntity(t *testing.T) {
	ix := NewIndex(Options{})
	a := rec("郝静", "", "13904290001", "211402", "连山区锦绣华庭", "培训学校跑路",
		"中央路的启航教育培训学校突然关门，我给孩子交了一年的英语课八千多，老板联系不上。", 0)
	b := rec("孔令伟", "", "13904290002", "211402", "", "啟航退費",
		"孩子報的英語班人去樓空，交了六千八，家長群裡幾百人，誰來管？", 3)
	sa, sb := Sign(a), Sign(b)
	if sb.NEnt != 0 {
		t.Fatalf("b should name no entity, has %d", sb.NEnt)
	}
	ix.Add(1, "A", sa)
	ix.Add(2, "B", sb)
	found := false
	for _, r := range ix.gather(&sb, nil) {
		if r&recMask == 0 {
			found = true
		}
	}
	if !found {
		t.Error("the title mention 啟航 does not reach the petition naming 启航教育培训学校")
	}
}
