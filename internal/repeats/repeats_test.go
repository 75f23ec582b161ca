package repeats

import (
	"os"
	"slices"
	"sync"
	"testing"
	"time"
)

func load(t testing.TB, path string) ([]LabelledRecord, []Label) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, labels, err := ReadLabelled(f)
	if err != nil {
		t.Fatal(err)
	}
	return recs, labels
}

// Floors are set just below the figures measured with signature version 4
// (weights tuned on labelled.jsonl and heldout.jsonl only); see BENCH.md.
// fresh.jsonl became development data when its misses were analysed for
// version 4, so its figure is no longer an unbiased estimate; fresh2.jsonl
// was written before any version-4 change and is never tuned on or
// inspected pair by pair: it is the honest estimate (0.904).
const (
	floorLabelled = 0.94
	floorHeldout  = 0.97
	floorFresh    = 0.92
	floorFresh2   = 0.90
)

func TestEvaluateLabelled(t *testing.T) {
	recs, labels := load(t, "testdata/labelled.jsonl")
	if len(recs) < 400 {
		t.Fatalf("labelled set has %d petitions, want ≥ 400", len(recs))
	}
	m := EvaluateRecords(recs, labels, Options{})
	t.Logf("labelled (%d petitions, %d matters): %v", len(recs), len(labels), m)
	if m.F1 < floorLabelled {
		t.Errorf("labelled F1 %.3f < floor %.2f", m.F1, floorLabelled)
	}
}

func TestEvaluateHeldout(t *testing.T) {
	recs, labels := load(t, "testdata/heldout.jsonl")
	if len(recs) < 120 {
		t.Fatalf("held-out set has %d petitions, want ≥ 120", len(recs))
	}
	m := EvaluateRecords(recs, labels, Options{})
	t.Logf("held-out (%d petitions, %d matters): %v", len(recs), len(labels), m)
	if m.F1 < floorHeldout {
		t.Errorf("held-out F1 %.3f < floor %.2f", m.F1, floorHeldout)
	}
}

// fresh.jsonl is a second hand-written set, written before any of its
// results were looked at; never tuned on, but its misses were analysed for
// signature version 4 (see BENCH.md).
func TestEvaluateFresh(t *testing.T) {
	recs, labels := load(t, "testdata/fresh.jsonl")
	if len(recs) < 150 || len(labels) < 50 {
		t.Fatalf("fresh set has %d petitions and %d matters, want ≥ 150 and ≥ 50", len(recs), len(labels))
	}
	m := EvaluateRecords(recs, labels, Options{})
	t.Logf("fresh (%d petitions, %d matters): %v", len(recs), len(labels), m)
	if m.F1 < floorFresh {
		t.Errorf("fresh F1 %.3f < floor %.2f", m.F1, floorFresh)
	}
}

// fresh2.jsonl is a third hand-written held-out set, written before the
// version-4 method changes and never used for tuning (see BENCH.md).
func TestEvaluateFresh2(t *testing.T) {
	recs, labels := load(t, "testdata/fresh2.jsonl")
	if len(recs) < 150 || len(labels) < 50 {
		t.Fatalf("fresh2 set has %d petitions and %d matters, want ≥ 150 and ≥ 50", len(recs), len(labels))
	}
	m := EvaluateRecords(recs, labels, Options{})
	t.Logf("fresh2 (%d petitions, %d matters): %v", len(recs), len(labels), m)
	if m.F1 < floorFresh2 {
		t.Errorf("fresh2 F1 %.3f < floor %.2f", m.F1, floorFresh2)
	}
}

// TestAblation: identity keys alone, text alone and both. Identity alone
// cannot see group petitions or relatives with their own phone and cannot
// tell a person's second matter from the first; text alone misses repeats
// told in different words; together they must beat both.
func TestAblation(t *testing.T) {
	for _, file := range []string{"testdata/labelled.jsonl", "testdata/heldout.jsonl", "testdata/fresh.jsonl", "testdata/fresh2.jsonl"} {
		recs, labels := load(t, file)
		both := EvaluateRecords(recs, labels, Options{})
		id := EvaluateRecords(recs, labels, Options{NoText: true})
		text := EvaluateRecords(recs, labels, Options{NoIdentity: true})
		t.Logf("%s\n  identity only: %v\n  text only:     %v\n  both:          %v", file, id, text, both)
		if both.F1 <= id.F1 || both.F1 <= text.F1 {
			t.Errorf("%s: combined F1 %.3f should beat identity-only %.3f and text-only %.3f", file, both.F1, id.F1, text.F1)
		}
		if id.Recall >= both.Recall {
			t.Errorf("%s: identity-only recall %.3f should be below combined %.3f (groups, relatives)", file, id.Recall, both.Recall)
		}
		if text.Recall >= both.Recall {
			t.Errorf("%s: text-only recall %.3f should be below combined %.3f (paraphrases)", file, text.Recall, both.Recall)
		}
	}
}

func TestClusterEvaluation(t *testing.T) {
	for _, file := range []string{"testdata/labelled.jsonl", "testdata/heldout.jsonl", "testdata/fresh.jsonl", "testdata/fresh2.jsonl"} {
		recs, labels := load(t, file)
		ix := NewIndex(Options{})
		for i, r := range recs {
			ix.Add(int64(i+1), r.ExternalID, Sign(r.Record()))
		}
		pairs := ix.Pairs()
		t.Logf("%s: pairs %v; transitively closed %v", file, Evaluate(pairs, labels), Evaluate(Cluster(pairs), labels))
	}
}

var base = time.Date(2025, 12, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

func rec(name, id, phone, district, addr, title, content string, days int) Record {
	return Record{Name: name, IDNumber: id, Phone: phone, DistrictCode: district, Address: addr,
		Title: title, Content: content, ReceivedAt: base.AddDate(0, 0, days), Channel: "online"}
}

func same(t *testing.T, a, b Record) (float64, []string) {
	t.Helper()
	ix := NewIndex(Options{})
	return ix.Score(Sign(a), Sign(b))
}

func TestHardNegatives(t *testing.T) {
	cases := []struct {
		name string
		a, b Record
	}{
		{"two estates without heating in 兴城市",
			rec("王建国", "211481196502134410", "13904291234", "211481", "兴城市宁远花园小区3号楼2单元501室",
				"宁远花园小区暖气不热", "我家住兴城市宁远花园小区，今年入冬以来暖气一直不热，室内只有13度，找热力公司多次没人管，请求尽快解决。", 0),
			rec("李秀兰", "211481197011054427", "13841298765", "211481", "兴城市古城家园8号楼1单元302室",
				"古城家园暖气不热", "我家住兴城市古城家园，今年入冬以来暖气一直不热，室内只有14度，找热力公司多次没人管，请求尽快解决。", 3)},
		{"wages: two companies in one district",
			rec("赵铁柱", "211421198003152216", "15241298888", "211421", "绥中县前所镇王家屯村",
				"宏达建筑拖欠工资", "我在葫芦岛宏达建筑工程有限公司的东戴河工地干活，老板拖欠工资两万元，包工头找不到人，请劳动监察帮我们讨薪。", 0),
			rec("孙长林", "211421197705062213", "15141293333", "211421", "绥中县高台镇沙河营村",
				"鑫盛建设拖欠工资", "我在葫芦岛鑫盛建设集团有限公司的瑞州新城工地干活，老板拖欠工资两万元，包工头找不到人，请劳动监察帮我们讨薪。", 5)},
		{"same person, a different matter",
			rec("王建国", "211481196502134410", "13904291234", "211481", "兴城市宁远花园小区3号楼2单元501室",
				"宁远花园小区暖气不热", "我家住兴城市宁远花园小区，今年入冬以来暖气一直不热，室内只有13度，找热力公司多次没人管。", 0),
			rec("王建国", "211481196502134410", "13904291234", "211481", "兴城市宁远花园小区3号楼2单元501室",
				"孙子上学报名问题", "我孙子今年该上小学了，户口在宁远花园，学校说学位已满不给报名，让去很远的学校，请求教育局协调就近入学。", 60)},
		{"same village, different projects and different land",
			rec("刘福贵", "211422196808142211", "13704291111", "211422", "建昌县八家子镇马道子村",
				"马道子村征地补偿", "2019年马道子村的耕地被高速公路连接线项目征收，每亩只给了一万元，补偿款至今没有足额发放。", 0),
			rec("周凤芝", "211422197203042222", "13704292222", "211422", "建昌县八家子镇马道子村",
				"马道子村选矿厂污染", "马道子村旁边的北方选矿厂尾矿渗漏，河水变红，庄稼减产，村民嗓子疼，要求环保部门查处。", 20)},
		{"medical: two patients of one hospital",
			rec("郭玉梅", "211402195806072228", "13504290001", "211402", "连山区新华里小区2号楼",
				"医保报销", "我母亲在市中心医院住院治疗，花了医疗费六万元，医保报销比例很低，医保中心说有些药不在目录里，请求按政策报销。", 0),
			rec("韩立新", "211402196105152216", "13504290002", "211402", "连山区阳光家园小区5号楼",
				"医保报销", "我父亲在市中心医院住院治疗，花了医疗费五万元，医保报销比例很低，医保中心说有些药不在目录里，请求按政策报销。", 9)},
	}
	for _, c := range cases {
		s, why := same(t, c.a, c.b)
		t.Logf("%s: score %.2f %v", c.name, s, why)
		if s >= DefaultThreshold {
			t.Errorf("%s: score %.2f ≥ threshold, want a different matter (%v)", c.name, s, why)
		}
	}
}

func TestPositives(t *testing.T) {
	cases := []struct {
		name string
		a, b Record
	}{
		{"traditional-character paraphrase by a relative, other channel",
			rec("王建国", "211481196502134410", "13904291234", "211481", "兴城市宁远花园小区3号楼2单元501室",
				"宁远花园小区暖气不热", "我家住兴城市宁远花园小区3号楼，今年入冬以来暖气一直不热，室内只有13度，家里老人冻感冒了，找热力公司多次没人管，请求尽快解决。", 0),
			rec("王晓东", "", "18642991111", "211481", "興城市寧遠花園3棟2單元501",
				"爸媽家暖氣還是不熱", "我父母住在寧遠花園3號樓，暖氣到現在還是不熱，屋裡溫度才十三四度，老人都凍病了，熱力公司一直推脫，請領導過問。", 20)},
		{"hotline operator summary of the same person's letter",
			rec("李秀兰", "211403197011054427", "13841298765", "211403", "龙港区滨海花园小区5号楼1单元201室",
				"要求办理房产证", "我2015年在滨海花园小区买了房，房款全部付清，到现在还办不了房产证，开发商说土地出让金没交齐。孩子上学受影响，请求政府协调办证。", 0),
			rec("李女士", "", "13841298765", "211403", "龙港区滨海花园小区",
				"不动产登记类：办证难", "来电人反映，其2015年在滨海花园小区购房，至今无法办理不动产权证，开发商称欠缴土地出让金，诉求：尽快办理房产证。", 45)},
		{"group petition: two workers of one company",
			rec("赵铁柱", "211421198003152216", "15241298888", "211421", "绥中县前所镇王家屯村",
				"宏达建筑拖欠工资", "我在葫芦岛宏达建筑工程有限公司的东戴河小区三期工地干木工，干了八个月，老板拖欠工资两万三千元，包工头说开发商没给钱。", 0),
			rec("钱德胜", "211421197905062218", "13941290000", "211421", "绥中县高台镇沙河营村",
				"讨薪", "来访人钱德胜等三十名农民工反映，宏达建筑工程有限公司在东戴河小区三期项目拖欠工人工资共计六十余万元，要求劳动监察部门督促支付。", 10)},
		{"typos and reordered facts, same phone",
			rec("张凤琴", "211404196703222246", "15904295555", "211404", "南票区矿山家园9号楼1单元101室",
				"矿山家园停水", "矿山家园从3号开始停水，已经连续停水五天了，没有任何通知，吃水做饭都成了问题，请求尽快恢复供水。", 0),
			rec("张凤琴", "", "15904295555", "211404", "南票区矿山家园9号楼1单元101室",
				"还是没水", "吃水做饭都成问提了，以经停谁五天，矿山家园一值没有通知什么时候来水，希往供水公司尽快抢休。", 4)},
	}
	for _, c := range cases {
		s, why := same(t, c.a, c.b)
		t.Logf("%s: score %.2f %v", c.name, s, why)
		if s < DefaultThreshold {
			t.Errorf("%s: score %.2f < threshold, want the same matter (%v)", c.name, s, why)
		}
	}
}

func TestNormalizeTraditional(t *testing.T) {
	if got := NormalizeText("暖氣還是不熱，ＡＢＣ１２３"); got != "暖气还是不热 abc123" {
		t.Errorf("NormalizeText = %q", got)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	recs, _ := load(t, "testdata/heldout.jsonl")
	for i, r := range recs {
		rr := r.Record()
		rr.ID = int64(i + 7)
		s := Sign(rr)
		b, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var u Signature
		if err := u.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		if u != s {
			t.Fatalf("%s: round trip changed the signature", r.ExternalID)
		}
	}
	var u Signature
	if err := u.UnmarshalBinary([]byte{1, 2, 3}); err == nil {
		t.Error("short input accepted")
	}
}

// Rebuilding an index from persisted signatures gives the same pairs.
func TestRebuildFromStoredSignatures(t *testing.T) {
	recs, _ := load(t, "testdata/heldout.jsonl")
	a, b := NewIndex(Options{}), NewIndex(Options{})
	for i, r := range recs {
		s := Sign(r.Record())
		a.Add(int64(i+1), r.ExternalID, s)
		blob, _ := s.MarshalBinary()
		var u Signature
		if err := u.UnmarshalBinary(blob); err != nil {
			t.Fatal(err)
		}
		b.Add(int64(i+1), r.ExternalID, u)
	}
	pa, pb := a.Pairs(), b.Pairs()
	if !slices.Equal(pa, pb) {
		t.Errorf("pairs differ after rebuild: %d vs %d", len(pa), len(pb))
	}
}

func TestCandidatesExcludeSelfAndRank(t *testing.T) {
	recs, _ := load(t, "testdata/labelled.jsonl")
	ix := NewIndex(Options{})
	sigs := make([]Signature, len(recs))
	for i, r := range recs {
		rr := r.Record()
		rr.ID = int64(i + 1)
		sigs[i] = Sign(rr)
		ix.Add(rr.ID, r.ExternalID, sigs[i])
	}
	if ix.Len() != len(recs) {
		t.Fatalf("Len = %d", ix.Len())
	}
	for i := range recs[:50] {
		c := ix.Candidates(sigs[i], 5)
		if len(c) > 5 {
			t.Fatalf("limit ignored: %d", len(c))
		}
		for j, x := range c {
			if x.ID == int64(i+1) {
				t.Fatalf("record %d returned itself", i+1)
			}
			if j > 0 && c[j-1].Score < x.Score {
				t.Fatalf("not sorted by score")
			}
			if len(x.Reasons) == 0 {
				t.Fatalf("candidate without reasons")
			}
		}
	}
	if ix.MemoryEstimate() <= 0 {
		t.Error("MemoryEstimate")
	}
}

// The index agrees with the exhaustive scan on the labelled set: every pair
// scoring at or above threshold is reachable through shared keys.
func TestIndexRecallAgainstScan(t *testing.T) {
	recs, _ := load(t, "testdata/labelled.jsonl")
	ix := NewIndex(Options{})
	sigs := make([]Signature, len(recs))
	for i, r := range recs {
		rr := r.Record()
		rr.ID = int64(i + 1)
		sigs[i] = Sign(rr)
		ix.Add(rr.ID, r.ExternalID, sigs[i])
	}
	missed, total := 0, 0
	for i := range sigs {
		fast := map[int64]bool{}
		for _, c := range ix.Candidates(sigs[i], 0) {
			fast[c.ID] = true
		}
		for _, c := range ix.ScanAll(sigs[i], 0) {
			if c.Score >= ix.Threshold() {
				total++
				if !fast[c.ID] {
					missed++
					if missed <= 6 {
						t.Logf("missed %s–%s %.2f %v", recs[i].ExternalID, c.ExternalID, c.Score, c.Reasons)
					}
				}
			}
		}
	}
	t.Logf("above-threshold pairs found by look-up: %d of %d", total-missed, total)
	// misses: entity names matched only inside the other text, with no shared key
	if float64(missed) > 0.02*float64(total) {
		t.Errorf("index misses %d of %d above-threshold pairs", missed, total)
	}
}

func TestConcurrentUse(t *testing.T) {
	g := NewSynth(3)
	ix := NewIndex(Options{})
	var wg sync.WaitGroup
	sigs := make([]Signature, 2000)
	for i := range sigs {
		sigs[i] = Sign(g.Next())
	}
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(sigs); i += 4 {
				ix.Add(int64(i+1), "x", sigs[i])
				ix.Candidates(sigs[(i*7)%len(sigs)], 3)
			}
		}(w)
	}
	wg.Wait()
	if ix.Len() != len(sigs) {
		t.Fatalf("Len = %d", ix.Len())
	}
	_ = ix.Pairs()
}

func TestEvaluate(t *testing.T) {
	labels := []Label{{"m1", []string{"a", "b", "c"}}, {"m2", []string{"d", "e"}}}
	m := Evaluate([]Pair{{A: "a", B: "b"}, {A: "b", B: "a"}, {A: "c", B: "d"}, {A: "x", B: "a"}}, labels)
	if m.TruePairs != 4 || m.PredictedPairs != 2 || m.Correct != 1 {
		t.Fatalf("%+v", m)
	}
	if m.Precision != 0.5 || m.Recall != 0.25 {
		t.Fatalf("%+v", m)
	}
}

func TestAddressKeyVariants(t *testing.T) {
	a, _ := addressKey("葫芦岛市连山区锦绣华庭小区3号楼2单元501室")
	for _, v := range []string{"锦绣华庭3栋2单元501", "連山區錦繡華庭小區三號樓二單元501室", "锦绣华庭小区 3号楼 2单元 501"} {
		if b, _ := addressKey(v); b != a {
			t.Errorf("addressKey(%q) = %q, want %q", v, b, a)
		}
	}
	if b, _ := addressKey("锦绣华庭小区十五号楼二单元501室"); b != "锦绣华庭|15-2-501" {
		t.Errorf("Chinese numerals: %q", b)
	}
}

// Missing district codes are neither a bonus nor a penalty.
func TestMissingDistrict(t *testing.T) {
	f := features{J: 0.2, TopicKnown: true, Topic: 1, EntMatch: 1}
	w := DefaultWeights
	unknown, _ := w.score(f)
	f.BothDistrict = true
	differ, _ := w.score(f)
	f.SameDistrict = true
	same, _ := w.score(f)
	if !(differ < unknown && unknown < same) {
		t.Errorf("district: differ %.3f, unknown %.3f, same %.3f", differ, unknown, same)
	}
}

func TestEdgeInputs(t *testing.T) {
	ix := NewIndex(Options{})
	if c := ix.Candidates(Sign(Record{}), 5); len(c) != 0 {
		t.Fatalf("empty index returned %v", c)
	}
	long := make([]rune, 0, 200000)
	for i := 0; i < 200000; i++ {
		long = append(long, rune(0x4E00+i%20000))
	}
	recs := []Record{{}, {Content: "abc 123 !!!"}, {Content: string(long)}, {Name: "先生", Phone: "+86 139-0429-1234", IDNumber: "21148119650213441x"}}
	for i, r := range recs {
		s := Sign(r)
		ix.Add(int64(i+1), "e", s)
		b, _ := s.MarshalBinary()
		var u Signature
		if err := u.UnmarshalBinary(b); err != nil || u != s {
			t.Fatalf("record %d: round trip", i)
		}
	}
	_ = ix.Pairs()
	a, b := Sign(Record{Phone: "13904291234"}), Sign(Record{Phone: "+86 139 0429 1234"})
	if a.PhoneKey != b.PhoneKey {
		t.Error("phone normalisation")
	}
	x, y := Sign(Record{IDNumber: "21148119650213441x"}), Sign(Record{IDNumber: "21148119650213441X"})
	if x.IDKey != y.IDKey || x.IDKey == 0 {
		t.Error("ID normalisation")
	}
}
