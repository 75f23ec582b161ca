package repeats

import (
	"fmt"
	"io"
	"math/rand"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Synth makes cheap, varied synthetic petitions for benchmarks: random
// people, estates, companies and villages built from a character pool, texts
// assembled from theme fragments with those names and numbers inserted, and
// about one in five a repeat (same person or same place, new wording).
type Synth struct {
	rng  *rand.Rand
	prev []Record
}

// NewSynth returns a generator with a fixed seed.
func NewSynth(seed int64) *Synth { return &Synth{rng: rand.New(rand.NewSource(seed))} }

var synthChars = []rune("安宝北滨博昌晨诚春翠大德东方丰福富港广国海瀚好禾和恒红宏鸿虹华欢辉汇吉佳嘉建江金锦京景静久聚凯康兰蓝乐丽利连莲林龙隆绿美明南宁鹏平浦奇祺千青清庆瑞润山尚胜盛石世书顺泰天铁通同万旺伟文祥向新鑫星兴秀旭学雅燕阳怡益银英永玉元园远跃云泽长兆正志中众洲竹紫爱碧彩灿畅朝澄驰崇川纯聪丹道登迪典定冬栋端朵帆芳菲峰凤甘高歌庚冠光桂果翰昊浩皓合河荷贺弘洪厚湖虎桦怀焕黄徽惠慧家坚健姜蛟杰洁晋晶井靖炯菊俊楷可克坤岚朗雷磊黎礼莉良亮琳玲凌露禄路伦罗麦满茂梅萌蒙梦淼敏名铭墨木沐楠诺欧品萍璞琪启谦乾强桥琴勤沁晴琼秋泉然仁荣融如睿若森杉珊韶绍申深晟诗实舒曙硕松嵩素穗棠涛腾田庭彤拓湾婉威薇维卫蔚温雯武西希曦霞仙贤香翔潇晓笑心欣馨信杏雄轩萱雪勋迅亚岩彦艳扬瑶野义艺逸毅寅胤颖勇悠友雨语煜渊源岳悦越芸韵蕴展湛璋昭哲臻振征之芝知智忠珠卓子梓宗")

var synthThemes = [][]string{
	{"家里暖气一直不热", "室内温度只有{N}度", "找热力公司多次没人来", "老人冻感冒了", "取暖费{M}元早交了", "整栋楼都不热"},
	{"买的房子办不了房产证", "开发商说手续不全", "房款{M}万元早已付清", "孩子上学受影响", "整个小区{N}多户没证"},
	{"在{C}工地干活被欠工资", "欠薪{M}元", "包工头找不到人", "一起的工友{N}多人", "快过年了拿不到钱"},
	{"棚改回迁{N}年还没回迁", "过渡费停发了", "在外租房每月{M}元", "回迁楼停工"},
	{"{C}改制后社保断缴", "到退休年龄办不了退休", "缴费年限差{N}年", "找不到原企业负责人"},
	{"楼下{C}夜里噪音扰民", "吵到凌晨两点", "报警没用", "家里有学生要休息"},
	{"{V}附近{C}排污", "黑烟刺鼻", "庄稼减产", "河水发黑"},
	{"{V}耕地被征用", "补偿款没足额发放", "每亩只给{M}元", "村干部说等拨款"},
	{"物业不作为", "楼道灯坏了没人修", "垃圾不清运", "物业费每平米{N}毛"},
	{"小区停水{N}天", "没有通知", "吃水做饭成问题", "供水公司说管道爆裂"},
	{"路面坑洼塌陷", "下雨积水很深", "有人骑车摔倒", "坑存在一年多了"},
	{"电梯经常坏", "困过人", "物业只重启", "维修基金批不下来"},
	{"燃气费突然翻倍", "燃气表计量不准", "燃气公司不校表"},
}

func (g *Synth) name(n int) string {
	r := make([]rune, n)
	for i := range r {
		r[i] = synthChars[g.rng.Intn(len(synthChars))]
	}
	return string(r)
}

func (g *Synth) text(theme int, estate, company, village string) string {
	fr := synthThemes[theme]
	var b strings.Builder
	b.WriteString(estate)
	for _, i := range g.rng.Perm(len(fr))[:2+g.rng.Intn(len(fr)-1)] {
		s := fr[i]
		s = strings.ReplaceAll(s, "{N}", fmt.Sprint(2+g.rng.Intn(60)))
		s = strings.ReplaceAll(s, "{M}", fmt.Sprint(1000+g.rng.Intn(90000)))
		s = strings.ReplaceAll(s, "{C}", company)
		s = strings.ReplaceAll(s, "{V}", village)
		b.WriteString("，")
		b.WriteString(s)
	}
	// details every real petition has: dates, people, places, sums
	for i := 0; i < 1+g.rng.Intn(3); i++ {
		switch g.rng.Intn(4) {
		case 0:
			fmt.Fprintf(&b, "，%d月%d日%s来过一次说%s", 1+g.rng.Intn(12), 1+g.rng.Intn(28), g.name(2), g.name(4))
		case 1:
			fmt.Fprintf(&b, "，%s的%s也是这样%s", g.name(2), g.name(2), g.name(3))
		case 2:
			fmt.Fprintf(&b, "，已经花了%d元%s", 100+g.rng.Intn(20000), g.name(3))
		default:
			fmt.Fprintf(&b, "，%s路%s门口%s", g.name(2), g.name(2), g.name(4))
		}
	}
	b.WriteString("。请求尽快解决。")
	return b.String()
}

// Repeat returns a new petition repeating a recent one (same person, part of
// the old wording plus new words, another channel, later) and the external
// id of the one it repeats.
func (g *Synth) Repeat() (Record, string) {
	if len(g.prev) == 0 {
		r := g.Next()
		return r, ""
	}
	p := g.prev[g.rng.Intn(len(g.prev))]
	origin := p.ExternalID
	p.ID = 0
	p.ExternalID = fmt.Sprintf("SYN-R-%d", g.rng.Int63())
	rs := []rune(p.Content)
	p.Content = string(rs[:len(rs)/2]) + "，" + g.text(g.rng.Intn(len(synthThemes)), "", g.name(2)+"公司", g.name(3)+"村") + "至今没有解决。"
	p.Channel = "hotline"
	p.IDNumber = ""
	p.ReceivedAt = p.ReceivedAt.Add(time.Duration(g.rng.Intn(90*24)) * time.Hour)
	return p, origin
}

// Next returns the next synthetic record; about one in five repeats an
// earlier one.
func (g *Synth) Next() Record {
	d := []string{"211402", "211403", "211404", "211421", "211422", "211481"}[g.rng.Intn(6)]
	if len(g.prev) > 0 && g.rng.Intn(5) == 0 {
		r, _ := g.Repeat()
		return r
	}
	estate := g.name(2) + []string{"小区", "花园", "家园", "名苑", "新城"}[g.rng.Intn(5)]
	company := g.name(2) + []string{"建筑有限公司", "热力公司", "物业公司", "化工厂", "烧烤店"}[g.rng.Intn(5)]
	village := g.name(3) + "村"
	r := Record{
		ExternalID:   fmt.Sprintf("SYN-%d", g.rng.Int63()),
		ReceivedAt:   time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(g.rng.Intn(3*365*24)) * time.Hour),
		Channel:      []string{"letter", "visit", "online", "hotline", "mailbox"}[g.rng.Intn(5)],
		Name:         g.name(3),
		IDNumber:     fmt.Sprintf("%s19%02d%02d%02d%04d", d, 40+g.rng.Intn(60), 1+g.rng.Intn(12), 1+g.rng.Intn(28), g.rng.Intn(10000)),
		Phone:        fmt.Sprintf("1%d%09d", 3+g.rng.Intn(7), g.rng.Intn(1000000000)),
		DistrictCode: d,
		Address:      fmt.Sprintf("%s%d号楼%d单元%d室", estate, 1+g.rng.Intn(30), 1+g.rng.Intn(6), 101+g.rng.Intn(1800)),
	}
	th := g.rng.Intn(len(synthThemes))
	r.Title = estate + []string{"问题", "反映", "投诉", "求助"}[g.rng.Intn(4)]
	r.Content = g.text(th, estate, company, village)
	if len(g.prev) < 4096 {
		g.prev = append(g.prev, r)
	} else {
		g.prev[g.rng.Intn(len(g.prev))] = r
	}
	return r
}

// ScanAll compares sig with every indexed record (the exhaustive baseline
// the index is measured against) and returns the best limit candidates.
func (ix *Index) ScanAll(sig Signature, limit int) []Candidate {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	type hit struct {
		rec   int
		score float64
	}
	var hits []hit
	for i := 0; i < ix.n; i++ {
		e := ix.at(i)
		if sig.ID != 0 && e.id == sig.ID {
			continue
		}
		if sc := ix.quickScore(&sig, &e.sig); sc >= ix.opts.MinScore {
			hits = append(hits, hit{i, sc})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return b.rec - a.rec
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Candidate, len(hits))
	for i, h := range hits {
		e := ix.at(h.rec)
		sc, why := ix.score(&sig, &e.sig)
		out[i] = Candidate{ID: e.id, ExternalID: e.ext, Score: sc, Reasons: why}
	}
	return out
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := int(p * float64(len(s)-1))
	return s[i]
}

// Bench builds an index of n synthetic petitions and reports the build rate,
// candidate look-up latency (p50/p99 over lookups queries, half new petitions
// and half already indexed), heap used by the index (runtime.MemStats delta)
// and the latency of an exhaustive comparison over a sample of queries.
func Bench(n, lookups int, w io.Writer) error {
	if n <= 0 || lookups <= 0 {
		return fmt.Errorf("repeats: bench needs n > 0 and lookups > 0")
	}
	before := heapInUse()
	g := NewSynth(1)
	ix := NewIndex(Options{ExpectedSize: n})
	sample := make([]Signature, 0, lookups)
	t0 := time.Now()
	var signDur time.Duration
	for i := 0; i < n; i++ {
		r := g.Next()
		r.ID = int64(i + 1)
		s0 := time.Now()
		sig := Sign(r)
		signDur += time.Since(s0)
		ix.Add(r.ID, r.ExternalID, sig)
		if len(sample) < lookups/2 && i%max(1, n/(lookups/2+1)) == 0 {
			sample = append(sample, sig)
		}
	}
	build := time.Since(t0)
	// the other half: new petitions repeating recent indexed ones, whose
	// origin the look-up should return
	origins := map[int]string{}
	for len(sample) < lookups {
		r, origin := g.Repeat()
		origins[len(sample)] = origin
		sample = append(sample, Sign(r))
	}
	after := heapInUse()
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = " loadavg " + strings.Join(strings.Fields(string(b))[:3], " ")
	}
	fmt.Fprintf(w, "repeats bench: n=%d lookups=%d GOMAXPROCS=%d%s\n", n, lookups, runtime.GOMAXPROCS(0), load)
	fmt.Fprintf(w, "build: %v total, %.0f records/s (sign %.1f µs/record, add %.1f µs/record)\n",
		build.Round(time.Millisecond), float64(n)/build.Seconds(),
		float64(signDur.Microseconds())/float64(n), float64((build-signDur).Microseconds())/float64(n))
	fmt.Fprintf(w, "memory: heap delta %.1f MiB (%.0f B/record), MemoryEstimate %.1f MiB\n",
		float64(after-before)/(1<<20), float64(after-before)/float64(n), float64(ix.MemoryEstimate())/(1<<20))
	lat := make([]time.Duration, 0, len(sample))
	found, planted := 0, 0
	for i, s := range sample {
		q0 := time.Now()
		c := ix.Candidates(s, 10)
		lat = append(lat, time.Since(q0))
		if o, ok := origins[i]; ok {
			planted++
			for _, x := range c {
				if x.ExternalID == o && x.Score >= ix.Threshold() {
					found++
					break
				}
			}
		}
	}
	fmt.Fprintf(w, "candidates: p50 %v p99 %v max %v; planted repeats found at/above threshold in the top 10: %d of %d\n",
		pct(lat, 0.5), pct(lat, 0.99), pct(lat, 1), found, planted)
	m := min(len(sample), 20)
	if n >= 500000 {
		m = min(m, 7)
	}
	ex := make([]time.Duration, 0, m)
	same, sameFound := 0, 0
	for _, s := range sample[:m] {
		q0 := time.Now()
		full := ix.ScanAll(s, 0)
		ex = append(ex, time.Since(q0))
		fast := map[int64]bool{}
		for _, c := range ix.Candidates(s, 0) {
			fast[c.ID] = true
		}
		for _, c := range full {
			if c.Score >= ix.Threshold() {
				same++
				if fast[c.ID] {
					sameFound++
				}
			}
		}
	}
	fmt.Fprintf(w, "exhaustive: p50 %v over %d queries; speed-up p50 %.0fx; records at/above threshold found by look-up: %d of %d found by the scan\n",
		pct(ex, 0.5), m, float64(pct(ex, 0.5))/float64(max(1, pct(lat, 0.5))), sameFound, same)
	runtime.KeepAlive(ix)
	return nil
}
