package repeats

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

var t2s = func() map[rune]rune {
	m := make(map[rune]rune, 1024)
	r := []rune(tradPairs)
	for i := 0; i+1 < len(r); i += 2 {
		m[r[i]] = r[i+1]
	}
	return m
}()

// normRune maps a rune to its comparison form: simplified Chinese, half-width
// ASCII, lower case. Other runes (punctuation, spaces) become 0.
var t2sTable = func() []rune {
	t := make([]rune, 0xA000)
	for k, v := range t2s {
		if f, ok := variantFold[v]; ok {
			v = f
		}
		if int(k) < len(t) {
			t[k] = v
		}
	}
	for k, v := range variantFold {
		t[k] = v
	}
	return t
}()

func normRune(c rune) rune {
	if c >= 0 && int(c) < len(t2sTable) {
		if s := t2sTable[c]; s != 0 {
			return s
		}
	} else if s, ok := t2s[c]; ok {
		if f, ok := variantFold[s]; ok {
			return f
		}
		return s
	}
	if c >= 0xFF01 && c <= 0xFF5E { // full-width ASCII
		c -= 0xFEE0
	}
	if c == '#' { // "7#楼" is "7号楼"
		return '号'
	}
	switch {
	case c >= '0' && c <= '9':
		return c
	case c >= 'A' && c <= 'Z':
		return c + 32
	case c >= 'a' && c <= 'z':
		return c
	case isHan(c):
		return c
	}
	return 0
}

func isHan(c rune) bool { return c >= 0x3400 && c <= 0x9FFF || unicode.Is(unicode.Han, c) }

func isDigit(c rune) bool { return c >= '0' && c <= '9' }

// normalize returns s as simplified, half-width, lower-case runes with every
// non-word character replaced by 0 (a separator).
func normalize(s string) []rune {
	out := make([]rune, 0, len(s)/2)
	for _, c := range s {
		out = append(out, normRune(c))
	}
	return out
}

// NormalizeText is the text form compared by the index (exported for tools).
func NormalizeText(s string) string {
	r := normalize(s)
	for i, c := range r {
		if c == 0 {
			r[i] = ' '
		}
	}
	return string(r)
}

// boilerplate phrases of petition and hotline writing that say nothing about
// the matter. They are cut out before shingling so that two unrelated
// petitions written in the same register do not look alike.
var boilerplate = []string{
	"市民来电反映", "来电人反映", "来电人称", "市民来电", "来电反映", "来电人", "来访群众", "来访人", "来访称",
	"尊敬的", "信访局", "领导", "您好", "此致敬礼", "此致", "敬礼", "谢谢", "恳请", "市长", "过问",
	"请相关单位尽快处理并回复", "核实处理", "相关单位", "有关部门", "相关部门", "部门", "12345", "转办", "诉求",
	"这个问题", "此事", "之前", "已经", "以经", "多次", "再次", "又一次", "仍然", "仍未", "至今", "到现在",
	"一直", "没有", "还没", "解决", "处理", "反映", "反应", "希望", "请求", "要求", "尽快", "问题", "情况",
	"结果", "进展", "老样子", "催办", "投诉", "咨询", "本人", "我叫", "家住", "居民", "其家", "我家", "我们",
	"他们", "重视", "望", "请", "其",
	// added in signature version 4: more of the register of hotline
	// summaries, online messages and letters
	"来电人表示", "来电人咨询", "市民反映", "群众反映", "网友反映", "网民反映", "留言反映", "各位领导", "恳请领导",
	"予以解决", "给予解决", "协调解决", "帮忙解决", "彻底解决", "给个说法", "有没有人管", "没人管", "管一管", "管管",
	"求助", "帮帮", "做主", "上次反映", "此前反映", "此前已反映", "仍未解决", "请予", "予以", "核实", "督促", "协调",
}

var boilerRunes = func() [][]rune {
	out := make([][]rune, len(boilerplate))
	for i, b := range boilerplate {
		out[i] = normalize(b)
	}
	return out
}()

// stopRunes never start or end a shingle: function words.
var stopRunes = map[rune]bool{}

func init() {
	for _, c := range "的了吗呢啊吧和与及也都就还把被给对向从到在是有个这那些又很太" {
		stopRunes[c] = true
	}
}

var boilerByFirst = func() map[rune][][]rune {
	m := map[rune][][]rune{}
	for _, p := range boilerRunes {
		m[p[0]] = append(m[p[0]], p)
	}
	return m
}()

// cutPhrases blanks every occurrence of the boilerplate phrases and of
// extra (e.g. the petitioner's own name) in r.
func cutPhrases(r []rune, extra ...[]rune) {
	orig := append([]rune(nil), r...)
	cut := func(i int, p []rune) {
		if len(p) == 0 || i+len(p) > len(orig) {
			return
		}
		for k := range p {
			if orig[i+k] != p[k] {
				return
			}
		}
		for k := range p {
			r[i+k] = 0
		}
	}
	for i, c := range orig {
		if c == 0 {
			continue
		}
		for _, p := range extra {
			if len(p) > 0 && p[0] == c {
				cut(i, p)
			}
		}
		for _, p := range boilerByFirst[c] {
			cut(i, p)
		}
	}
}

// shingles calls f for each content shingle of r: every character bigram
// inside a run of Han characters (skipping function words), and every number
// of two or more digits as one token.
func shingles(r []rune, f func(h uint64)) {
	for i := 0; i < len(r); i++ {
		c := r[i]
		if isDigit(c) {
			j := i
			var h uint64 = 1469598103934665603
			for j < len(r) && isDigit(r[j]) {
				h = (h ^ uint64(r[j])) * 1099511628211
				j++
			}
			if j-i >= 2 {
				f(mix64(h ^ 0xD1))
			}
			i = j - 1
			continue
		}
		if i+1 < len(r) && isHan(c) && isHan(r[i+1]) && !stopRunes[c] && !stopRunes[r[i+1]] {
			f(bigramHash(c, r[i+1]))
		}
	}
}

func bigramHash(a, b rune) uint64 { return mix64(uint64(a)<<21 | uint64(b)) }

func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

func hashString(s string) uint64 {
	var h uint64 = 1469598103934665603
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return mix64(h) | 1 // never 0: 0 means absent
}

func hashRunes(r []rune) uint64 {
	var h uint64 = 1469598103934665603
	for _, c := range r {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return mix64(h) | 1
}

// --- topics -------------------------------------------------------------

// topicWords: a small lexicon of petition themes. A petition's topic profile
// (counts per theme) tells "same person, same matter" from "same person,
// another matter" even when the two texts share few characters.
var topicWords = [][]string{
	{"供暖", "暖气", "供热", "取暖", "采暖", "室温", "热力", "暖汽", "不热", "暖气片", "锅炉", "开栓", "换热站", "回水", "暖器"},
	{"房产证", "房本", "不动产", "产权证", "办证", "房照", "权证", "网签", "过户"},
	{"工资", "欠薪", "工钱", "薪水", "劳务费", "农民工", "讨薪", "包工头", "工姿", "血汗钱", "开支", "劳务报酬", "劳动监察"},
	{"棚改", "回迁", "拆迁", "过渡费", "棚户区", "安置房", "征收房屋", "动迁", "安置费"},
	{"社保", "养老保险", "退休", "改制", "买断", "工龄", "养老金", "下岗", "断缴", "缴费年限", "抚恤金", "丧葬"},
	{"噪音", "扰民", "噪声", "吵", "燥音", "睡不着", "喧哗", "施工", "打桩", "广场舞", "音响", "低音炮", "歌厅", "ktv", "音箱"},
	{"污染", "排污", "黑烟", "异味", "污水", "臭味", "粉尘", "废气", "刺鼻", "环保"},
	{"征地", "耕地", "承包地", "补偿款", "失地", "征用", "亩", "占地", "更地"},
	{"物业", "物业费", "业委会", "业主委员会", "楼道", "务业", "保洁", "垃圾"},
	{"停水", "供水", "自来水", "水压", "来水", "没水", "停谁", "水管"},
	{"路面", "坑洼", "道路", "塌陷", "修路", "积水", "路灯", "井盖", "坑"},
	{"入学", "上学", "学区", "报名", "学位", "小学", "学校", "转学"},
	{"医保", "报销", "住院", "医疗费", "医院", "手术", "报消", "异地就医", "药"},
	{"燃气", "煤气", "天然气", "燃气表", "换表", "智能表", "燃气费"},
	{"停电", "供电", "电费", "电表", "电压", "变压器"},
	{"电梯", "困人", "维保"},
	{"停车", "车位", "车库"},
	{"违建", "违章建筑", "私搭乱建", "乱搭", "违法建设", "彩钢房", "私建", "加盖", "违章", "占用绿地"},
	{"低保", "救助", "困难补助", "残疾"},
	{"出租车", "公交", "网约车", "客运", "班车", "打表", "宰客", "拉客", "站点", "线路"},
	{"食品", "过期", "变质", "餐馆", "卫生许可"},
	{"退费", "培训", "预付卡", "商家", "退款", "会员费", "年卡", "培训学校", "培训班", "课时费", "学费", "跑路", "停课", "闭店", "卷款"},
	{"宅基地", "确权", "林地", "承包合同", "土地确权"},
	{"拖欠工程款", "工程款", "合同款"},
	{"交付", "逾期", "延期交付", "违约金", "商铺", "交房", "烂尾", "保交楼", "复工", "停工", "购房"},
	{"裂缝", "沉陷", "采空", "危房"},
	{"流浪狗", "流浪猫", "养犬", "养狗", "遛狗", "犬只", "大型犬", "狗叫", "咬伤"},
	{"迁坟", "公墓", "殡葬"},
	{"公租房", "廉租", "保障房"},
	{"保育费", "涨价", "幼儿园"},
	{"疫苗"},
	{"工伤", "工伤认定", "伤残鉴定", "工亡", "摔伤", "骨折"},
	{"摊位", "摊位费", "早市", "夜市", "摊贩", "商户"},
	// themes added in signature version 4 (appended: the indices above are fixed)
	{"取暖费", "供暖费", "采暖费", "热费", "暖气费", "报停", "停供", "空置", "基础热费"},
	{"下水道", "下水", "反水", "返水", "排水", "堵塞", "化粪池", "地漏", "污水管"},
	{"漏水", "渗水", "漏雨", "防水", "屋面", "楼顶", "天棚", "返潮", "发霉", "维修基金", "维修资金"},
	{"采砂", "采沙", "挖沙", "挖砂", "河沙", "河道", "河床", "盗采"},
	{"放炮", "爆破", "采石", "石料", "碎石", "震裂"},
	{"参战", "退役军人", "退伍", "优抚", "老兵", "军人"},
}

// NumTopics is the number of themes in the lexicon.
const NumTopics = 39

var topicRunes = func() [][][]rune {
	out := make([][][]rune, len(topicWords))
	for t, ws := range topicWords {
		for _, w := range ws {
			out[t] = append(out[t], normalize(w))
		}
	}
	return out
}()

type topicWord struct {
	topic int
	w     []rune
}

var topicByFirst = func() map[rune][]topicWord {
	m := map[rune][]topicWord{}
	for t, ws := range topicRunes {
		for _, w := range ws {
			m[w[0]] = append(m[w[0]], topicWord{t, w})
		}
	}
	return m
}()

// countTopics counts theme words, the longest at each position, left to
// right without overlap ("培训学校" is training, not schooling; "暖气片" counts
// once).
func countTopics(r []rune) (v [NumTopics]uint8) {
	for i := 0; i < len(r); {
		best := -1
		for k, tw := range topicByFirst[r[i]] {
			if hasSuffixAt(r, i, tw.w) && (best < 0 || len(tw.w) > len(topicByFirst[r[i]][best].w)) {
				best = k
			}
		}
		if best < 0 {
			i++
			continue
		}
		tw := topicByFirst[r[i]][best]
		if v[tw.topic] < 255 {
			v[tw.topic]++
		}
		i += len(tw.w)
	}
	return v
}

func countRunes(r, w []rune) int {
	n := 0
	for i := 0; i+len(w) <= len(r); i++ {
		if r[i] != w[0] {
			continue
		}
		ok := true
		for k := 1; k < len(w); k++ {
			if r[i+k] != w[k] {
				ok = false
				break
			}
		}
		if ok {
			n++
			i += len(w) - 1
		}
	}
	return n
}

// individualTopics are themes about one person's own entitlement: two
// different people of the same estate or employer raising them are two
// matters.
var individualTopics = []int{4, 11, 12, 18, 38}

// topicLift: lifts serve one building; two buildings of one estate with a
// broken lift are two matters.
const topicLift = 15

// individual reports whether the dominant theme of a profile is individual
// (mentioned at least twice: "孩子上学要绕路" is not about a school place).
func individual(v *[NumTopics]uint8) bool {
	best, bi := uint8(0), -1
	for i, c := range v {
		if c > best {
			best, bi = c, i
		}
	}
	if best < 2 {
		return false
	}
	for _, t := range individualTopics {
		if t == bi {
			return true
		}
	}
	return false
}

func topicCosine(a, b *[NumTopics]uint8) (float64, bool) {
	var ab, aa, bb, na, nb int
	for i := range a {
		x, y := int(a[i]), int(b[i])
		ab += x * y
		aa += x * x
		bb += y * y
		na += x
		nb += y
	}
	if na == 0 || nb == 0 || na+nb < 3 { // one theme word each is too little to judge by
		return 0, false
	}
	return float64(ab) / math.Sqrt(float64(aa)*float64(bb)), true
}

// --- entities -----------------------------------------------------------

// Entity kinds. Strong kinds (estate, organisation, village, road) name the
// place or party a collective matter is about: two petitions naming the same
// one are linked, two naming different ones of the same kind are not the
// same matter. Weak kinds (school, hospital) are shared by unrelated people.
const (
	KindEstate uint8 = 1 + iota
	KindOrg
	KindVillage
	KindRoad
	KindProject
	KindSchool
	KindHospital
	// AddrFlag marks an entity found in the petitioner's address rather
	// than in the text: it can link petitions but not set them apart (two
	// workers from different villages may complain about one employer).
	AddrFlag uint8 = 0x80
)

type suffix struct {
	s      []rune
	kind   uint8
	notBy  string // the suffix does not count when followed by one of these
	onlyBy string // if set, the suffix counts only when followed by one of these or by a break
}

var suffixes = func() []suffix {
	raw := []struct {
		s, not string
		k      uint8
	}{
		{"小区", "", KindEstate}, {"花园", "", KindEstate}, {"家园", "", KindEstate}, {"嘉园", "", KindEstate},
		{"新城", "", KindEstate}, {"公寓", "", KindEstate}, {"名苑", "", KindEstate}, {"名居", "", KindEstate},
		{"华庭", "", KindEstate}, {"新村", "", KindEstate}, {"大厦", "", KindEstate}, {"苑", "", KindEstate},
		{"有限公司", "", KindOrg}, {"公司", "", KindOrg}, {"集团", "", KindOrg}, {"厂", "里长区家", KindOrg},
		{"培训学校", "", KindOrg}, {"培训机构", "", KindOrg}, {"培训中心", "", KindOrg}, {"会所", "", KindOrg}, {"健身房", "", KindOrg},
		{"养殖场", "", KindOrg}, {"养猪场", "", KindOrg}, {"养鸡场", "", KindOrg}, {"加油站", "", KindOrg}, {"度假村", "", KindOrg},
		{"商城", "", KindOrg}, {"中介", "", KindOrg}, {"门市", "", KindOrg}, {"浴池", "", KindOrg}, {"诊所", "", KindOrg}, {"驾校", "", KindOrg},
		{"网吧", "", KindOrg}, {"培训班", "", KindOrg}, {"教育", "局部厅厅机系", KindOrg}, {"矿业", "", KindOrg}, {"物流", "园", KindOrg},
		{"置业", "", KindOrg}, {"地产", "", KindOrg}, {"农业", "局部厅农", KindOrg}, {"工业区", "", KindProject}, {"工业园", "", KindProject}, {"园区", "", KindProject}, {"开发区", "", KindProject},
		{"电站", "", KindProject}, {"码头", "", KindProject}, {"烧烤店", "", KindOrg}, {"饭店", "", KindOrg}, {"酒店", "", KindOrg}, {"超市", "", KindOrg}, {"市场", "", KindOrg},
		{"ktv", "", KindOrg}, {"大酒店", "", KindOrg}, {"大饭店", "", KindOrg}, {"棚改", "办", KindProject}, {"洗车行", "", KindOrg}, {"大排档", "", KindOrg}, {"店", "里铺面员主", KindOrg},
		{"村", "民委干里部长集书头口子局", KindVillage}, {"屯", "", KindVillage}, {"沟", "里通", KindVillage},
		{"烧烤", "店摊", KindOrg}, {"火锅", "店", KindOrg}, {"酒吧", "", KindOrg}, {"歌厅", "", KindOrg}, {"洗浴", "", KindOrg},
		{"早市", "", KindOrg}, {"夜市", "", KindOrg}, {"菜市场", "", KindOrg},
		{"河", "", KindRoad},
		{"片区", "", KindProject}, {"棚户区", "", KindProject}, {"工地", "", KindProject}, {"项目", "", KindProject},
		{"大街", "", KindRoad}, {"南街", "", KindRoad}, {"北街", "", KindRoad}, {"路", "面口段灯边况费线", KindRoad}, {"街", "道坊", KindRoad},
		{"小学", "", KindSchool}, {"中学", "", KindSchool}, {"学校", "", KindSchool}, {"幼儿园", "", KindSchool},
		{"医院", "", KindHospital}, {"卫生院", "", KindHospital},
	}
	out := make([]suffix, len(raw))
	for i, x := range raw {
		out[i] = suffix{normalize(x.s), x.k, x.not, ""}
		if x.s == "河" {
			// a river is named before words about its water and banks
			// ("大凌河河道", "六股河段", "河里"), not inside other names
			// ("大凌河花园", "沙河营村")
			out[i].onlyBy = riverContext
		}
	}
	return out
}()

var suffixByFirst = func() map[rune][]suffix {
	m := map[rune][]suffix{}
	for _, sf := range suffixes {
		m[sf.s[0]] = append(m[sf.s[0]], sf)
	}
	return m
}()

// generic words that end an organisation's or place's name but do not
// distinguish it ("宏达建筑工程有限公司" → 宏达).
var genericTails = func() [][]rune {
	var out [][]rune
	for _, w := range []string{"房地产开发", "建筑工程", "建筑安装", "物业服务", "物业管理", "劳务派遣", "建设", "建筑", "工程", "安装",
		"开发", "热力", "供热", "物业", "服务", "实业", "科技", "商贸", "化工", "铸造", "选矿", "塑料制品", "石材加工",
		"加工", "制品", "劳务", "贸易", "烧烤", "餐饮", "棚改", "改造", "拆迁", "第一", "第二", "实验", "人民", "中心", "中",
		"供水", "自来水", "供电", "燃气", "公交", "出租", "开发商", "不动产", "登记", "民办", "私立", "公办", "公立",
		"教育", "培训", "英语", "矿业", "物流", "农贸", "置业", "地产", "农业", "服装", "汽车", "销售", "美术", "舞蹈", "海鲜",
		// other kinds' suffixes: "宏达公司工地" names 宏达, not "宏达公司"
		"有限公司", "公司", "集团", "小区"} {
		out = append(out, normalize(w))
	}
	return out
}()

var stopCore = map[rune]bool{}

func init() {
	for _, c := range "一某的了在于是住我你他她它们与及到从向给被这那该此本每个条段座栋所片些位名全整各某几多去开附旁对跟找来称说其市区县镇乡省号楼由让叫催问帮替为投举报联系督促映诉称等即属请求要更换修并过管理监整改" {
		stopCore[c] = true
	}
	// place-name characters used for admin prefixes are stripped separately
}

var adminPrefixes = func() [][]rune {
	var out [][]rune
	for _, w := range []string{"辽宁省", "葫芦岛市", "葫芦岛", "连山区", "龙港区", "南票区", "绥中县", "建昌县", "兴城市", "连山", "龙港", "南票", "绥中", "建昌", "兴城"} {
		out = append(out, normalize(w))
	}
	return out
}()

// Entity is a distinguishing name found in a petition.
type Entity struct {
	Kind uint8
	N    uint8     // number of valid Bits
	Key  uint32    // hash of the core name
	Head uint32    // hash of the core's first two characters (index key)
	Tail uint32    // hash of the core's last two characters (index key)
	Bits [3]uint16 // bitset positions of the core's bigrams
}

func hasSuffixAt(r []rune, i int, s []rune) bool {
	if i+len(s) > len(r) {
		return false
	}
	for k := range s {
		if r[i+k] != s[k] {
			return false
		}
	}
	return true
}

func trimTail(core []rune) []rune {
	for changed := true; changed; {
		changed = false
		for _, g := range genericTails {
			if len(core) >= len(g) && (len(g) > 1 || len(core) >= 3) && hasSuffixAt(core, len(core)-len(g), g) {
				core = core[:len(core)-len(g)]
				changed = true
			}
		}
	}
	return core
}

func trimHead(core []rune) []rune {
	for changed := true; changed; {
		changed = false
		for _, g := range genericTails {
			if len(core) >= len(g)+2 && hasSuffixAt(core, 0, g) {
				core = core[len(g):]
				changed = true
			}
		}
	}
	return core
}

func trimAdmin(core []rune) []rune {
	for changed := true; changed; {
		changed = false
		for _, p := range adminPrefixes {
			if len(core) >= len(p)+2 && hasSuffixAt(core, 0, p) {
				core = core[len(p):]
				changed = true
			}
		}
	}
	return core
}

// stopPhrases are words of position and direction that end the words before
// a name ("村北侧石料厂", "旁边的工地", "二道边村" keeps its 边).
var stopPhrases = func() [][]rune {
	var out [][]rune
	for _, w := range []string{"旁边", "附近", "对面", "周边", "边上", "那边", "这边", "东边", "西边", "南边", "北边",
		"东侧", "西侧", "南侧", "北侧", "村边", "路边", "河边", "那家", "这家", "一家", "那个", "这个", "底商", "今年", "去年", "明年", "每年", "现在", "目前", "今天", "东头", "西头", "南头", "北头", "后面", "前面", "里面", "楼下", "楼上", "门口", "隔壁", "后边", "前边"} {
		out = append(out, normalize(w))
	}
	return out
}()

// cutStopPhrases keeps what follows the last position word in core.
func cutStopPhrases(core []rune) []rune {
	for k := len(core) - 2; k >= 0; k-- {
		for _, p := range stopPhrases {
			if hasSuffixAt(core, k, p) {
				return core[k+len(p):]
			}
		}
	}
	return core
}

// extractEntities finds names ending in a place or organisation suffix. The
// core is the (at most four) Han characters before the suffix, after dropping
// generic trade words, admin place names and anything up to a function word.
func extractEntities(r []rune, f func(kind uint8, core []rune)) {
	for i := 0; i < len(r); i++ {
		// a bus route is a project of its own: "8路公交", "12路车" (Chinese
		// numerals were turned into digits before)
		if isDigit(r[i]) && (i == 0 || !isDigit(r[i-1])) {
			j := i
			for j < len(r) && isDigit(r[j]) {
				j++
			}
			if busRoute(r, j) {
				f(KindProject, r[i:j+1])
			}
		}
	}
	lastEnd := 0 // a name starts after the previous suffix ("大兰村村路" names no road)
	for i := 1; i < len(r); i++ {
		if isDigit(r[i]) && isHan(r[i-1]) {
			// "天泰城15号楼": a name before a building number is an estate
			// even without 小区 (unless it ends in a suffix already seen)
			j := i
			for j < len(r) && isDigit(r[j]) {
				j++
			}
			if j < len(r) && (hasSuffixAt(r, j, bldgHao) || r[j] == '栋' || r[j] == '幢') && !endsInSuffix(r[:i]) {
				start := i
				for start > 0 && isHan(r[start-1]) && i-start < 12 {
					start--
				}
				if core := cleanCore(r[start:i]); len(core) >= 2 {
					f(KindEstate, core)
				}
			}
			i = j - 1
			continue
		}
		if !isHan(r[i]) && r[i] != 'k' {
			continue
		}
		for _, sf := range suffixByFirst[r[i]] {
			if !hasSuffixAt(r, i, sf.s) {
				continue
			}
			end := i + len(sf.s)
			if end < len(r) && sf.notBy != "" && strings.ContainsRune(sf.notBy, r[end]) {
				continue
			}
			if sf.onlyBy != "" && end < len(r) && r[end] != 0 && !strings.ContainsRune(sf.onlyBy, r[end]) {
				continue
			}
			start := i
			for start > lastEnd && isHan(r[start-1]) && i-start < 12 {
				start--
			}
			raw := r[start:i]
			core := cleanCore(raw)
			if sf.kind == KindSchool || sf.kind == KindHospital {
				// "连山区实验中学", "第一医院": the generic word may be the name
				core = raw
				for k := len(core) - 1; k >= 0; k-- {
					if stopCore[core[k]] {
						core = core[k+1:]
						break
					}
				}
				core = trimAdmin(cutStopPhrases(core))
				if t := trimTail(core); len(t) >= 2 {
					core = t
				}
				if len(core) > 4 {
					core = core[len(core)-4:]
				}
			}
			if len(core) >= 2 {
				f(sf.kind, core)
			} else if len(sf.s) == 1 {
				// a one-character suffix without a name before it is
				// part of the next name ("碱厂村" names the village 碱厂)
				continue
			}
			lastEnd = end
			i = end - 1
			break
		}
	}
}

var bldgHao = []rune("号楼")

// riverContext: the words that may follow a river's name.
const riverContext = "道段床堤里边岸水沙砂畔沿中上下"

// endsInSuffix reports whether r ends in a place or organisation suffix.
func endsInSuffix(r []rune) bool {
	for _, sf := range suffixes {
		if len(r) >= len(sf.s) && hasSuffixAt(r, len(r)-len(sf.s), sf.s) {
			return true
		}
	}
	return false
}

// cleanCore turns the Han characters before a suffix into a name core:
// generic trade words and admin place names dropped, anything up to a
// function or position word cut, at most four characters.
func cleanCore(raw []rune) []rune {
	core := trimAdmin(trimTail(cutAdmin(raw)))
	if len(core) > 6 {
		core = core[len(core)-6:]
	}
	for k := len(core) - 1; k >= 0; k-- {
		if stopCore[core[k]] {
			core = core[k+1:]
			break
		}
	}
	core = cutStopPhrases(core)
	core = trimHead(trimAdmin(core))
	if len(core) > 4 {
		core = core[len(core)-4:]
	}
	return core
}

// cutAdmin keeps what follows the last admin place name in raw when a
// name of two or more characters remains ("就葫芦岛宏达建筑" → "宏达建筑").
func cutAdmin(raw []rune) []rune {
	for k := len(raw) - 3; k > 0; k-- {
		for _, p := range adminPrefixes {
			if len(p) >= 3 && hasSuffixAt(raw, k, p) && len(raw)-k-len(p) >= 2 {
				return raw[k+len(p):]
			}
		}
	}
	return raw
}

// address normalisation for household keys: admin prefixes and building
// words removed, digits kept as groups: "葫芦岛市连山区锦绣华庭小区3号楼2单元501室"
// and "锦绣华庭3栋2单元501" both become "锦绣华庭|3-2-501".
func addressKey(addr string) (string, int) {
	r := trimAdmin(compact(normalize(addr)))
	r = cnNumerals(r)
	var name []rune
	var nums []string
	cur := []rune{}
	flush := func() {
		if len(cur) > 0 {
			nums = append(nums, string(cur))
			cur = cur[:0]
		}
	}
	skip := map[string]bool{"小区": true, "号楼": true, "单元": true}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if isDigit(c) {
			cur = append(cur, c)
			continue
		}
		flush()
		if i+1 < len(r) && skip[string(r[i:i+2])] {
			i++
			continue
		}
		if strings.ContainsRune("号楼栋幢室户门层组", c) {
			continue
		}
		if c >= 'a' && c <= 'z' {
			continue
		}
		name = append(name, c)
	}
	flush()
	return string(name) + "|" + strings.Join(nums, "-"), len(nums)
}

var cnDigit = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// cnNumerals rewrites Chinese numerals before a building word as digits:
// "十五号楼二单元" → "15号楼2单元" (up to 99; others are left alone).
func cnNumerals(r []rune) []rune {
	out := make([]rune, 0, len(r))
	for i := 0; i < len(r); {
		j := i
		for j < len(r) && (r[j] == '十' || cnDigit[r[j]] > 0 || r[j] == '零' || r[j] == '〇') && (r[j] != '零' || j > i) {
			if _, ok := cnDigit[r[j]]; !ok && r[j] != '十' {
				break
			}
			j++
		}
		if j > i && j < len(r) && (strings.ContainsRune("号栋幢楼单室层组", r[j]) || busRoute(r, j)) {
			if v, ok := cnValue(r[i:j]); ok {
				out = append(out, []rune(strconv.Itoa(v))...)
				i = j
				continue
			}
		}
		out = append(out, r[i])
		i++
	}
	return out
}

// busRoute reports whether r[j:] reads "路" followed by a word for a bus
// ("8路公交", "12路车", "八路班车"): a numbered route, not a road.
func busRoute(r []rune, j int) bool {
	return j+1 < len(r) && r[j] == '路' && strings.ContainsRune("公车线班", r[j+1])
}

func cnValue(r []rune) (int, bool) {
	switch {
	case len(r) == 1 && r[0] == '十':
		return 10, true
	case len(r) == 1:
		v, ok := cnDigit[r[0]]
		return v, ok
	case len(r) == 2 && r[0] == '十':
		v, ok := cnDigit[r[1]]
		return 10 + v, ok
	case len(r) == 2 && r[1] == '十':
		v, ok := cnDigit[r[0]]
		return v * 10, ok
	case len(r) == 3 && r[1] == '十':
		a, ok1 := cnDigit[r[0]]
		b, ok2 := cnDigit[r[2]]
		return a*10 + b, ok1 && ok2
	case len(r) >= 2 && len(r) <= 5:
		// read digit by digit: "三〇一室", "五零二"
		v := 0
		for _, c := range r {
			d, ok := cnDigit[c]
			if !ok {
				return 0, false
			}
			v = v*10 + d
		}
		return v, true
	}
	return 0, false
}

func compact(r []rune) []rune {
	out := r[:0:0]
	for _, c := range r {
		if c != 0 {
			out = append(out, c)
		}
	}
	return out
}

func normName(n string) string {
	r := compact(normalize(n))
	s := string(r)
	for _, t := range []string{"先生", "女士", "同志", "师傅", "大爷", "大妈", "阿姨"} {
		if strings.HasSuffix(s, t) {
			return ""
		}
	}
	if len(r) < 2 || s == "匿名" || s == "无" {
		return ""
	}
	return s
}

func normPhone(p string) string {
	var d []byte
	for _, c := range p {
		if c >= '0' && c <= '9' {
			d = append(d, byte(c))
		} else if c >= 0xFF10 && c <= 0xFF19 {
			d = append(d, byte(c-0xFF10+'0'))
		}
	}
	s := string(d)
	if strings.HasPrefix(s, "86") && len(s) == 13 {
		s = s[2:]
	}
	if len(s) < 7 {
		return ""
	}
	return s
}

func normIDNumber(id string) string {
	var b []byte
	for _, c := range id {
		switch {
		case c >= '0' && c <= '9':
			b = append(b, byte(c))
		case c == 'x' || c == 'X' || c == 'ｘ' || c == 'Ｘ':
			b = append(b, 'X')
		case c >= 0xFF10 && c <= 0xFF19:
			b = append(b, byte(c-0xFF10+'0'))
		}
	}
	if len(b) != 18 && len(b) != 15 {
		return ""
	}
	return string(b)
}
