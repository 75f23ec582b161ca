package demo

import (
	"math/rand/v2"
	"strconv"
)

// Theme is a kind of matter the demo petitions are about.
type Theme struct {
	Key   string // "heating"
	Label string // "供暖"
}

// Themes lists the themes of the demo petitions.
func Themes() []Theme {
	out := make([]Theme, len(themes))
	for i, t := range themes {
		out[i] = Theme{Key: t.key, Label: t.label}
	}
	return out
}

// line is one piece of text. need restricts it to matters located in an
// estate ("estate") or a village ("village"); g marks facts that read well
// when a group speaks.
type line struct {
	need string
	g    bool
	t    []string // titles
	f    string   // text
	d    []int    // for facts: the demands that fit; nil = any
	fem  bool     // only a woman can tell it
}

type deptShare struct {
	suffix string
	w      float64
}

// theme drives generation of one kind of matter.
type theme struct {
	key, label string
	weight     float64
	season     [12]float64 // factor by month, January first; zero = never
	place      string      // "estate", "village" or "any"
	districtW  []float64   // optional factor per district, in districts order
	depts      []deptShare
	cityShare  float64 // of matters that could go to a district department, share sent to the city one
	townShare  float64 // share sent to the township or street office
	channels   [5]float64
	born       [2]int
	men        float64 // share of men among petitioners if not the usual
	group      string  // what members of a group petition are called; "" = no group petitions
	groupRate  float64 // share of new matters that are group petitions
	slots      func(r *rand.Rand, m *matter)
	facts      []line
	demands    []line
}

var channelNames = [5]string{"letter", "visit", "online", "hotline", "mailbox"}

var flat = [12]float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}

func ri(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

func itoa(i int) string { return strconv.Itoa(i) }

func choose(r *rand.Rand, list ...string) string { return list[r.IntN(len(list))] }

var cnNum = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

func setAll(m *matter, kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		m.slots[kv[i]] = kv[i+1]
	}
}

func riverOf(code string) []string {
	switch code {
	case "211402", "211404":
		return []string{"女儿河", "连山河"}
	case "211403":
		return []string{"五里河", "茨山河"}
	case "211421":
		return []string{"六股河", "狗河"}
	case "211422":
		return []string{"大凌河", "黑水河"}
	default:
		return []string{"兴城河", "烟台河"}
	}
}

var themes = []*theme{
	{
		key: "heating", label: "供暖", weight: 0.24, place: "estate",
		season:    [12]float64{1.6, 1.2, 0.7, 0, 0, 0, 0, 0, 0, 0, 1.8, 2.0},
		depts:     []deptShare{{"cgj", 1}},
		cityShare: 0.3, channels: [5]float64{0.05, 0.08, 0.2, 0.55, 0.12}, born: [2]int{1942, 1996},
		group: "住户", groupRate: 0.012,
		slots: func(r *rand.Rand, m *matter) {
			area := ri(r, 52, 128)
			setAll(m, "temp", itoa(ri(r, 9, 16)), "times", itoa(ri(r, 3, 9)), "area", itoa(area),
				"fee", itoa(area*24), "days", itoa(ri(r, 2, 6)),
				"reason", choose(r, "换热站设备故障", "主管线爆裂抢修", "循环泵烧了", "燃料供应跟不上", "二次网阀门坏了"),
				"vuln", choose(r, "刚满月的孩子", "卧床多年的老人", "八十多岁的老母亲", "两个上小学的孩子", "刚做完手术的病人"),
				"stopday", choose(r, "前天晚上", "上周五", "大前天", "三号夜里", "周一早上"))
		},
		facts: []line{
			{d: []int{0, 1, 3}, g: false, t: []string{"{estate}{bldgno}号楼暖气不热", "反映{estate}供暖温度不达标"},
				f: "{my}住在{estate}{bldgno}号楼{unitno}单元{room}室，入冬供暖以来室内温度一直只有{temp}度左右，家里老人孩子在屋里都得穿棉袄。{I}先后{times}次给{heatco}打电话，对方每次都说派人来看，可始终没人上门。"},
			{d: []int{0, 1, 2}, g: true, t: []string{"{estate}整栋楼供暖不热，热力公司推诿", "要求{heatco}解决管网压力不足问题"},
				f: "{estate}{bldgno}号楼整栋楼暖气都不热，{floor}楼以上的住户暖气片基本是凉的，用温度计测室温只有{temp}℃，远低于18℃的标准。住户们去{heatco}反映过好几次，工作人员说是管网老化、压力不够，让大家等着，一直没有解决办法。"},
			{d: []int{0, 1, 3}, t: []string{"暖气上热下凉，放风后仍不热", "{estate}住户反映暖气片不热"},
				f: "{my}暖气片上面热下面凉，{heatco}的师傅来放过一次风，之后还是不热，白天室温也就{temp}度。{my}{area}平方米的房子，供暖费{fee}元在开栓前就交齐了，花了钱却受冻，心里实在窝火。"},
			{d: []int{4, 1}, g: true, t: []string{"{estate}停暖{days}天未恢复", "反映{heatco}突然停暖"},
				f: "{estate}从{stopday}开始停暖，{heatco}说是{reason}，可到现在已经{days}天了还没恢复，屋里温度降到了{temp}度，水管都快冻上了。{my}有{vuln}，实在熬不住。"},
			{d: []int{2, 0}, g: true, t: []string{"老旧小区供热管网年年跑冒滴漏", "要求将{estate}供热管网纳入改造"},
				f: "{estate}是九十年代建的老旧小区，供热管线用了二十多年，年年跑冒滴漏。今年入冬后{bldgno}号楼{unitno}单元一直不热，室温在{temp}度上下。{heatco}说管网必须改造，可改造需要的钱太多，只能年年修修补补，老百姓年年挨冻。"},
			{d: []int{1, 3}, t: []string{"供热公司拒绝入户测温退费", "{estate}供暖不达标要求退费"},
				f: "{I}家室温长期不达标，要求{heatco}上门测温，对方一直拖着不来；后来{I}自己拍了温度计的照片，显示只有{temp}度，热力公司却说自测的不算数，不同意按规定退费。"},
		},
		demands: []line{
			{f: "要求{heatco}尽快派人入户排查，保证室温达到18℃。"},
			{f: "希望主管部门督促热力公司限期整改，并按规定退还供暖不达标期间的取暖费。"},
			{f: "请求政府把{estate}的供热管网改造列入老旧小区改造计划，从根本上解决问题。"},
			{f: "请相关部门尽快派人入户测温，给个明确答复。"},
			{f: "要求尽快恢复供暖，查明原因并追究相关责任。"},
		},
	},
	{
		key: "property_cert", label: "房产证办理", weight: 0.08, place: "estate", season: flat,
		depts:     []deptShare{{"zrzyj", 1}, {"zjj", 1}},
		cityShare: 0.35, channels: [5]float64{0.2, 0.2, 0.2, 0.2, 0.2}, born: [2]int{1950, 1993},
		group: "业主", groupRate: 0.042,
		slots: func(r *rand.Rand, m *matter) {
			y := m.year - ri(r, 4, 12)
			setAll(m, "buyyear", itoa(y), "years", itoa(m.year-y-ri(r, 1, 2)), "area", itoa(ri(r, 56, 132)),
				"households", itoa(ri(r, 60, 460)), "promyear", itoa(y+2), "late", itoa(m.year-y-2),
				"cause", choose(r, "开发商欠缴城市基础设施配套费", "开发商欠缴土地出让金", "项目一直没有办理竣工验收备案",
					"开发商把土地证抵押给了银行", "规划核实时发现超建面积没有处理", "开发商欠缴水电暖等配套费"))
		},
		facts: []line{
			{d: []int{0, 2, 3}, t: []string{"{estate}业主{buyyear}年购房至今办不了房产证", "购房多年无法办理不动产权证"},
				f: "{I}于{buyyear}年在{estate}买了一套{area}平方米的住宅，房款早已全部付清，可入住{years}年了房产证一直办不下来。开发商{developer}先说手续正在走流程，后来干脆找不到人。"},
			{d: []int{0, 1, 2}, g: true, t: []string{"开发商欠费导致{estate}业主无法办证", "{estate}{households}户业主办证难"},
				f: "{estate}共有{households}户业主，因为{cause}，整个小区至今没有一户办下房产证。孩子上学、老人落户、房子过户都受影响，大家多次找{developer}，开发商推说资金困难。"},
			{d: []int{1, 3}, g: true, t: []string{"要求对{estate}实行容缺受理办理房证", "咨询{estate}能否容缺办理房产证"},
				f: "听说市里对开发商原因造成的办证难问题可以“容缺受理”，先给老百姓办证，欠缴的费用另行追缴。{estate}的情况是{cause}，{I}去不动产登记中心问过，窗口说材料不全办不了，让找开发商。"},
			{d: []int{0, 1, 3}, t: []string{"房产证办不下来影响孩子入学", "{estate}无房证导致无法落户"},
				f: "{me}孩子明年就要上小学，学区要求提供房产证，可{buyyear}年在{estate}买的房子到现在也没办下证。{I}找过{developer}不下十次，对方总说“快了快了”。"},
			{d: []int{0, 3}, g: true, t: []string{"回迁房多年不给办理产权证", "反映{estate}回迁户无法办证"},
				f: "{estate}是回迁楼，{buyyear}年拆迁时签的协议写明回迁后两年内办理产权证，现在已经超期{late}年，产权证仍没有着落，房子不能过户也不能抵押。"},
		},
		demands: []line{
			{f: "恳请有关部门协调开发商补齐手续，尽快办理不动产权证书。"},
			{f: "希望政府参照其他小区的做法实行容缺受理，先把证办给老百姓。"},
			{f: "要求依法追究开发商的责任，给业主一个明确的办证时间表。"},
			{f: "请求不动产登记部门给个准话：这个证到底什么时候能办。"},
		},
	},
	{
		key: "wage_arrears", label: "拖欠农民工工资", weight: 0.08, place: "any",
		season:    [12]float64{2.0, 1.1, 0.7, 0.6, 0.6, 0.9, 0.7, 0.6, 0.7, 0.8, 1.2, 1.9},
		depts:     []deptShare{{"rsj", 1}},
		cityShare: 0.25, channels: [5]float64{0.1, 0.3, 0.15, 0.35, 0.1}, born: [2]int{1962, 1998},
		group: "农民工", groupRate: 0.06,
		slots: func(r *rand.Rand, m *matter) {
			setAll(m, "project", choose(r, "{estate2}二期工程", "{road}道路改造工程", "{dshort}第三中学教学楼", "{town}安置房项目", "{dshort}经济开发区厂房扩建工程", "{town}污水管网工程"),
				"amount", itoa(ri(r, 8, 95)*1000+ri(r, 0, 9)*100), "months", itoa(ri(r, 3, 14)), "workers", itoa(ri(r, 12, 86)),
				"total", itoa(ri(r, 18, 260)), "foreman", surnames[r.IntN(len(surnames))]+"某",
				"trade", choose(r, "钢筋工", "木工", "瓦工", "水电工", "力工", "架子工", "抹灰工"), "workyear", itoa(m.year-ri(r, 0, 2)))
		},
		facts: []line{
			{d: []int{0, 1, 3}, t: []string{"{builder}拖欠工资{amount}元", "讨要{project}务工工资"},
				f: "{I}于{workyear}年在{builder}承建的{project}干{trade}，干了{months}个月，工钱一共{amount}元，到现在一分没结。包工头{foreman}说是上面工程款没拨下来，后来电话也不接了。"},
			{d: []int{0, 1, 2}, g: true, t: []string{"{project}{workers}名农民工工资被拖欠", "农民工工资被拖欠，盼早日结清"},
				f: "{project}完工已经大半年，{builder}还欠着{workers}名工人共{total}万元工资。工友们都是出来打工养家的，家里等着这笔钱给孩子交学费、给老人看病。"},
			{d: []int{2, 0, 3}, t: []string{"包工头跑路，工资无处讨要", "反映{foreman}拖欠工资后失联"},
				f: "{I}跟着包工头{foreman}在{project}干活，说好干完一次结清，结果工程完了{foreman}就不见人了。{I}去找总包{builder}，对方说工程款已经付给分包，工资的事跟他们没关系。"},
			{d: []int{0, 1}, t: []string{"劳动监察立案后工资仍未兑现", "要求落实拖欠工资的处理决定"},
				f: "{I}被拖欠的{amount}元工资，{lastyear}年就向劳动保障监察部门投诉过，也立了案，当时说会责令{builder}限期支付，可过去这么久一分钱也没见到。"},
			{d: []int{0, 2, 3}, g: true, t: []string{"{builder}以工程款未到位为由拖欠工资", "工程结算纠纷导致工人工资被拖欠"},
				f: "{builder}和建设单位因为工程结算扯皮，拿工人工资当筹码，{project}的{workers}名工人{months}个月的工资{total}万元被压着不发，工人去项目部要钱还被保安推搡。"},
		},
		demands: []line{
			{f: "恳请劳动保障监察部门尽快介入，责令{builder}足额支付拖欠的工资。"},
			{f: "希望政府帮忙把辛苦钱要回来，让大家回家过个安稳年。"},
			{f: "要求按照《保障农民工工资支付条例》的规定，由总包单位先行清偿。"},
			{f: "请求有关部门查清工程款去向，追究恶意欠薪人员的责任。"},
		},
	},
	{
		key: "shantytown", label: "棚改回迁", weight: 0.06, place: "estate", season: flat,
		districtW: []float64{1.5, 1.2, 2.5, 0.8, 0.5, 0.8},
		depts:     []deptShare{{"zjj", 1}},
		cityShare: 0.35, channels: [5]float64{0.25, 0.35, 0.1, 0.1, 0.2}, born: [2]int{1942, 1976},
		group: "回迁户", groupRate: 0.072,
		slots: func(r *rand.Rand, m *matter) {
			ty := m.year - ri(r, 3, 9)
			old := choose(r, "{road}棚户区", "老{dshort}火车站片区", "{road}北侧平房区", "{town}老街片区")
			if m.d.code == "211404" {
				old = choose(r, "{road}采煤沉陷区", "矿区老平房片区", "{road}棚户区")
			}
			setAll(m, "oldplace", old, "tearyear", itoa(ty), "promyear", itoa(ty+2), "late", itoa(ri(r, 10, 50)),
				"sub", itoa(ri(r, 3, 9)*100), "stopmonth", choose(r, "去年十月", "今年年初", "去年下半年", "前年年底"),
				"shrink", itoa(ri(r, 4, 13)), "households", itoa(ri(r, 120, 900)), "oldarea", itoa(ri(r, 28, 75)),
				"price", itoa(ri(r, 26, 48)*100))
		},
		facts: []line{
			{d: []int{0, 3}, g: true, t: []string{"棚改回迁房逾期{late}个月未交付", "{oldplace}棚改回迁遥遥无期"},
				f: "{I}原住{oldplace}，{tearyear}年棚改时签了回迁协议，约定{promyear}年底交房。可到现在已经超期{late}个月，回迁楼还只是个框架，工地早就停工了，这些年一直在外面租房住。"},
			{d: []int{1}, g: true, t: []string{"棚改临时安置费停发", "要求补发{oldplace}回迁户临时安置费"},
				f: "按协议，回迁前每月应发临时安置补助费{sub}元，可从{stopmonth}开始就停发了。{I}去{district}房屋征收部门问，工作人员说资金紧张等通知，可房租一个月也不能少。"},
			{d: []int{2}, t: []string{"回迁房面积缩水，要求按协议补偿", "回迁房实测面积与协议不符"},
				f: "好不容易回迁到{estate}，结果拿到手的房子实测面积比协议少了{shrink}平方米，公摊却多了不少。开发商说按图纸就是这样，让{I}要么接受要么放弃。"},
			{d: []int{0, 3}, g: true, t: []string{"棚改项目因个别住户未搬迁停滞", "{oldplace}棚改工程停工{late}个月"},
				f: "{oldplace}的棚改项目因为有几户一直没签协议，工程停了{late}个月。已经签约搬走的{households}户居民等得心急，有的老人在外面租房等了好几年，到去世也没住上新房。"},
			{d: []int{4, 3}, t: []string{"棚改补偿标准前后不一", "同一片区棚改补偿标准不一致"},
				f: "{my}在{oldplace}的老房子{oldarea}平方米，{tearyear}年按每平方米{price}元给的补偿，后来才听说同一片区晚签的人每平方米多给了好几百元，{I}认为这对早签约、支持政府工作的人不公平。"},
		},
		demands: []line{
			{f: "要求政府督促开发建设单位尽快复工，明确交房时间。"},
			{f: "恳请有关部门足额补发拖欠的临时安置费。"},
			{f: "希望按照协议约定落实回迁面积，差多少补多少。"},
			{f: "请求领导到现场看一看，让回迁户早日住上新房。"},
			{f: "要求按同一标准补足补偿差价，一视同仁。"},
		},
	},
	{
		key: "restructuring", label: "企业改制遗留问题", weight: 0.05, place: "any", season: flat,
		depts:     []deptShare{{"gzw", 1}, {"rsj", 1}},
		cityShare: 0.6, channels: [5]float64{0.3, 0.4, 0.05, 0.05, 0.2}, born: [2]int{1950, 1971},
		group: "原职工", groupRate: 0.09,
		slots: func(r *rand.Rand, m *matter) {
			ry := ri(r, 1998, 2008)
			wy := ri(r, 12, 28)
			py := ri(r, 6, 15) * 100
			setAll(m, "restructyear", itoa(ry), "workyears", itoa(wy), "peryear", itoa(py), "buyout", itoa((wy*py/10000+1)*10000),
				"gapmonths", itoa(ri(r, 24, 96)), "cost", itoa(ri(r, 18, 96)*1000), "startyear", itoa(ry-wy), "fee", itoa(ri(r, 8, 30)*1000),
				"workers", itoa(ri(r, 3, 22)*100))
		},
		facts: []line{
			{d: []int{1, 0, 2}, t: []string{"{enterprise}改制时欠缴社保，影响退休", "原企业欠缴养老保险导致无法退休"},
				f: "{I}是{enterprise}的老职工，{restructyear}年企业改制时被买断工龄，当时说好欠缴的养老保险由企业补齐。现在{I}到了退休年龄，去社保经办机构一查，中间有{gapmonths}个月的养老保险是断缴的，退休手续办不了。"},
			{d: []int{3, 2}, g: true, t: []string{"改制时工龄买断补偿过低", "{enterprise}职工要求重新核定工龄补偿"},
				f: "{enterprise}在{restructyear}年改制，当时全厂{workers}多名职工，工龄买断一年才给{peryear}元，干了{workyears}年的也拿不到{buyout}元，而且是分几次给的。同期其他企业职工的补偿比这高出一大截。"},
			{d: []int{4, 0}, g: true, t: []string{"改制企业退休职工医疗保险中断", "{enterprise}退休职工医保待遇落实问题"},
				f: "{enterprise}改制后，原来由企业负担的退休职工医疗保险一直没有接续到位。{I}今年住院花了{cost}元，医保不给报销，说医保关系还挂在已经注销的企业名下。"},
			{d: []int{5, 0}, t: []string{"要求认定在{enterprise}的工龄", "改制企业档案丢失，工龄无法认定"},
				f: "{I}从{startyear}年起就在{enterprise}上班，是正式招工进厂的。企业改制时档案弄丢了，现在只认后来缴费的年限，前面{workyears}年的工龄不认，养老金每月少了好几百元。"},
			{d: []int{6, 2}, g: true, t: []string{"{enterprise}改制遗留住房产权问题", "{enterprise}家属楼产权至今不明"},
				f: "{enterprise}改制时承诺职工家属楼按房改政策卖给职工，{restructyear}年大家都交了房改款，{I}交了{fee}元，可产权至今没有过户到个人名下，企业早已注销，问谁都说不归自己管。"},
		},
		demands: []line{
			{f: "恳请政府出面协调，落实老职工应有的待遇。"},
			{f: "要求有关部门查清当年改制的情况，补缴欠缴的社会保险。"},
			{f: "希望领导能把{we}这些老工人的事当成自己父母的事来办。"},
			{f: "请求按照国家企业改制的有关政策重新核定补偿。"},
			{f: "要求尽快接续医疗保险关系，报销应报的医疗费用。"},
			{f: "请求依据人事档案和当年的招工材料认定工龄。"},
			{f: "希望有关部门明确责任主体，尽快为职工办理产权过户。"},
		},
	},
	{
		key: "noise", label: "噪音扰民", weight: 0.07, place: "estate",
		season:    [12]float64{0.5, 0.5, 0.7, 1.0, 1.4, 1.7, 1.8, 1.7, 1.4, 1.0, 0.7, 0.5},
		depts:     []deptShare{{"cgj", 5}, {"sthj", 3}, {"gaj", 2}},
		cityShare: 0.2, channels: [5]float64{0.05, 0.05, 0.2, 0.6, 0.1}, born: [2]int{1955, 2000},
		slots: func(r *rand.Rand, m *matter) {
			setAll(m, "days", itoa(ri(r, 5, 30)), "late", choose(r, "夜里十一点多", "后半夜一两点", "凌晨两三点", "夜里十二点以后"),
				"siteproj", choose(r, "{estate2}二期", "商业综合体", "道路改造", "雨污分流改造", "供热管网改造"), "db", itoa(ri(r, 62, 86)))
		},
		facts: []line{
			{d: []int{0, 3, 2}, t: []string{"{road}工地夜间施工噪音扰民", "{estate}附近工地深夜施工"},
				f: "{estate}旁边{road}的{siteproj}工地，连续{days}天每晚施工到{late}，打桩机、搅拌车轰隆隆响个不停，{me}孩子马上要考试了，晚上根本没法休息。工地说有夜间施工许可，可哪有天天许可到半夜的。"},
			{d: []int{1, 2}, t: []string{"楼下烧烤店噪音油烟扰民", "{estate}临街商铺夜间经营扰民"},
				f: "{estate}{bldgno}号楼一楼开了一家烧烤店，每天营业到{late}，喝酒划拳的声音很大，排风扇正对着楼上住户的窗户，油烟味也很重。{I}找过店主几次，店主态度很不好。"},
			{d: []int{4, 2}, t: []string{"广场舞音响声音过大", "{estate}广场舞噪音扰民"},
				f: "{estate}中心广场每天早上五点多、晚上七点到九点半都有人跳广场舞，音响开得特别大，{I}家住{floor}楼，关着窗户都听得清清楚楚。{my}有上夜班的人，白天也睡不好。"},
			{d: []int{1, 2}, t: []string{"{shop}设备噪音长期扰民", "商户空调外机、水泵噪音扰民"},
				f: "{estate}底商的{shop}在{I}家窗下装了好几台空调外机和水泵，昼夜运转，用手机测有{db}分贝左右。向物业反映，物业说管不了商户。"},
		},
		demands: []line{
			{f: "要求有关部门依法查处，禁止夜间违规施工。"},
			{f: "希望执法部门上门检测，责令其采取降噪措施。"},
			{f: "请相关部门管一管，还居民一个安静的休息环境。"},
			{f: "要求查清其是否办理了夜间施工许可，并公开处理结果。"},
			{f: "希望有关部门规范广场舞活动的时间和音量。"},
		},
	},
	{
		key: "pollution", label: "环境污染", weight: 0.06, place: "any", season: flat,
		depts:     []deptShare{{"sthj", 1}},
		cityShare: 0.3, channels: [5]float64{0.1, 0.1, 0.2, 0.45, 0.15}, born: [2]int{1950, 1996},
		group: "村民", groupRate: 0.03,
		slots: func(r *rand.Rand, m *matter) {
			rv := riverOf(m.d.code)
			setAll(m, "factory", factories[r.IntN(len(factories))], "river", rv[r.IntN(len(rv))], "mu", itoa(ri(r, 30, 400)),
				"dist", itoa(ri(r, 5, 30)*10), "siteproj", choose(r, "{estate2}二期", "拆迁", "道路拓宽", "商住楼"))
		},
		facts: []line{
			{d: []int{0, 1, 2}, need: "village", g: true, t: []string{"{village}附近{factory}夜间偷排污水", "反映{factory}向{river}排污"},
				f: "{town}{village}外的{factory}经常在夜里往{river}里排污水，河水发黑发臭，下游浇地的井水也有了怪味。村民拍过视频，也打过电话，可白天来检查的时候厂子总是停着。"},
			{d: []int{0, 1}, need: "estate", t: []string{"{estate}周边夜间刺鼻异味", "{estate}居民反映异味严重"},
				f: "最近一段时间，{estate}一带每到晚上就能闻到一股刺鼻的化学品味道，晚上都不敢开窗，家里老人闻了头疼、嗓子疼。听说是附近的{factory}晚上偷偷生产。"},
			{d: []int{3}, need: "estate", t: []string{"{road}{siteproj}工地扬尘严重", "渣土车遗撒扬尘污染"},
				f: "{road}{siteproj}工地没有围挡苫盖，渣土车进出不冲洗，一起风整条路都是灰，{estate}的住户窗台一天不擦就落一层土。"},
			{d: []int{2, 1}, need: "village", g: true, t: []string{"{factory}粉尘污染农田", "{village}{factory}粉尘影响庄稼"},
				f: "{village}东边的{factory}投产以后，烟囱天天冒黑烟，周边{mu}亩玉米地的叶子上落满了灰，今年减产明显。村民找厂里要说法，厂里说排放是达标的。"},
			{d: []int{4, 1}, need: "village", t: []string{"养殖场粪污直排", "{village}养殖场臭味熏人"},
				f: "{village}新建了一个养猪场，粪污不经处理直接排进路边沟里，夏天臭气熏天、苍蝇成群，离住户不到{dist}米。"},
		},
		demands: []line{
			{f: "要求环保部门夜间突击检查，依法查处偷排行为。"},
			{f: "希望对周边空气和水质进行检测，并公开检测结果。"},
			{f: "请求责令企业停产整改，赔偿群众损失。"},
			{f: "要求落实防尘治污措施，该罚的罚，该停的停。"},
			{f: "要求责令养殖场建设粪污处理设施，未整改前停止排放。"},
		},
	},
	{
		key: "land_compensation", label: "征地补偿", weight: 0.06, place: "village",
		season:    [12]float64{0.6, 0.6, 0.9, 1.3, 1.4, 1.3, 1.2, 1.2, 1.3, 1.3, 0.9, 0.7},
		districtW: []float64{1, 0.6, 1, 1.4, 1.3, 1.2},
		depts:     []deptShare{{"zrzyj", 1}},
		cityShare: 0.15, townShare: 0.4, channels: [5]float64{0.3, 0.35, 0.1, 0.1, 0.15}, born: [2]int{1948, 1986},
		group: "村民", groupRate: 0.09,
		slots: func(r *rand.Rand, m *matter) {
			setAll(m, "project", choose(r, "{dshort}高速公路连接线", "{town}工业园区", "光伏发电项目", "风电场项目", "铁路货场扩建", "开发区道路"),
				"mu", strconv.FormatFloat(float64(ri(r, 15, 120))/10, 'f', 1, 64), "price", itoa(ri(r, 18, 42)*1000),
				"groupno", cnNum[ri(r, 1, 8)], "tearyear", itoa(m.year-ri(r, 2, 8)), "trees", itoa(ri(r, 20, 180)))
			if m.group > 0 {
				m.slots["mu"] = itoa(ri(r, 40, 600))
			}
		},
		facts: []line{
			{d: []int{0}, g: true, t: []string{"{village}征地补偿款未足额发放", "{project}征地补偿款去向不明"},
				f: "{lastyear}年{project}征用了{village}{groupno}组的耕地，{my}被征了{mu}亩。按公告每亩补偿{price}元，可发到手里的只有一半多，村里说剩下的留作集体提留，要求看账，村干部不给看。"},
			{d: []int{1}, t: []string{"征地后未落实被征地农民社保", "被征地农民养老保险未落实"},
				f: "{my}的承包地{tearyear}年被{project}全部征收，成了失地农民。当时说给办理被征地农民养老保险，到现在也没办，{I}今年{age}岁了，没地种、没保险，生活没有着落。"},
			{d: []int{2}, g: true, t: []string{"未补偿先施工毁坏青苗", "{project}未批先占"},
				f: "{project}在补偿方案还没公告、补偿款一分没给的情况下，就开着铲车进了{village}的地，把刚出苗的玉米全推了。村民上前阻拦，施工的人说是镇里让干的。"},
			{d: []int{3}, t: []string{"地上附着物补偿漏登", "征地时果树、机井未计入补偿"},
				f: "征地丈量时，{my}地里的{trees}棵果树和一眼机井没有登记进去，补偿款只算了土地钱。{I}找过镇里和村里，都说登记表已经报上去了，改不了。"},
		},
		demands: []line{
			{f: "要求公开征地补偿款的发放明细，把少发的钱补上。"},
			{f: "请求依法落实被征地农民的社会保障。"},
			{f: "希望有关部门制止违法占地行为，先补偿后施工。"},
			{f: "恳请上级部门派人核查，依法重新登记补偿。"},
		},
	},
	{
		key: "property_management", label: "物业服务", weight: 0.07, place: "estate", season: flat,
		depts:     []deptShare{{"zjj", 1}},
		cityShare: 0.15, townShare: 0.35, channels: [5]float64{0.1, 0.1, 0.2, 0.5, 0.1}, born: [2]int{1950, 1996},
		group: "业主", groupRate: 0.024,
		slots: func(r *rand.Rand, m *matter) {
			old := float64(ri(r, 40, 90)) / 100
			setAll(m, "old", strconv.FormatFloat(old, 'f', 2, 64), "new", strconv.FormatFloat(old+float64(ri(r, 15, 60))/100, 'f', 2, 64),
				"parkfee", itoa(ri(r, 5, 15)*10), "vuln", choose(r, "坐轮椅的老人", "腿脚不便的老伴", "刚做完手术的病人", "两个孩子"))
		},
		facts: []line{
			{d: []int{0, 2}, g: true, t: []string{"{propco}服务差还涨物业费", "{estate}物业擅自上调物业费"},
				f: "{estate}的物业公司{propco}服务很差，楼道灯坏了几个月没人修，垃圾两三天清一次，今年却通知物业费从每平方米{old}元涨到{new}元，没有开业主大会，也没有公示。"},
			{d: []int{4, 0}, t: []string{"电梯频繁故障困人", "{estate}{bldgno}号楼电梯停运"},
				f: "{estate}{bldgno}号楼的电梯三天两头出故障，上个月还困过人。{I}家住{floor}楼，家里有{vuln}，电梯一坏就下不了楼。物业说维修需要动用维修基金，业主签字凑不齐。"},
			{d: []int{1}, g: true, t: []string{"物业撤场，小区无人管理", "{estate}物业撤场后处于失管状态"},
				f: "{propco}上个月突然撤走了，{estate}现在没人管，垃圾堆成山，大门也没人看，二次供水的水泵坏了也没人修，{floor}楼以上时常停水。"},
			{d: []int{2, 0}, t: []string{"物业以停水停电催缴物业费", "{propco}违规对业主停水停电"},
				f: "因为对物业服务有意见没交物业费，{propco}就把{my}的电卡锁了，不让买电，还把单元门禁卡停了。{I}认为物业公司无权这样做。"},
			{d: []int{3, 2}, g: true, t: []string{"物业占用公共区域收停车费", "{estate}公共收益不公开"},
				f: "{estate}的地面车位是业主共有的，{propco}却每月每个车位收{parkfee}元停车费，加上电梯广告的收入，钱的去向从没向业主公示过。"},
		},
		demands: []line{
			{f: "要求主管部门约谈{propco}，责令整改。"},
			{f: "希望街道牵头尽快帮{estate}选聘新物业。"},
			{f: "请求依法查处物业公司的违规行为。"},
			{f: "要求公开公共收益的收支明细，归还业主。"},
			{f: "要求尽快维修电梯，必要时启用应急维修资金。"},
		},
	},
	{
		key: "utilities", label: "供水供气", weight: 0.05, place: "estate",
		season:    [12]float64{1.4, 1.3, 0.9, 0.8, 0.8, 1.0, 1.3, 1.3, 0.9, 0.8, 1.0, 1.4},
		depts:     []deptShare{{"swj", 1}, {"zjj", 1}},
		cityShare: 0.3, channels: [5]float64{0.03, 0.02, 0.1, 0.8, 0.05}, born: [2]int{1950, 2000},
		slots: func(r *rand.Rand, m *matter) {
			setAll(m, "hours", itoa(ri(r, 10, 60)), "days", itoa(ri(r, 3, 40)),
				"stopday", choose(r, "昨天", "前天", "周日", "今天凌晨"))
		},
		facts: []line{
			{d: []int{0}, t: []string{"{estate}停水{hours}小时未恢复", "{estate}突然停水无通知"},
				f: "{estate}从{stopday}开始停水，事先没有任何通知，到现在已经{hours}个小时了，供水公司电话打不通，做饭、上厕所都成了问题。"},
			{d: []int{1}, t: []string{"{estate}自来水浑浊发黄", "自来水有铁锈味"},
				f: "最近一周{estate}的自来水放出来是黄的，还有一股铁锈味，烧开后壶底有一层沉淀，{I}不敢给孩子喝。"},
			{d: []int{2}, t: []string{"燃气管道改造后一直不通气", "{estate}停气{days}天"},
				f: "{estate}进行了老旧燃气管道改造，可改造完到现在{bldgno}号楼{unitno}单元还是不通气，已经{days}天了，燃气公司说是验收没通过，只能用电磁炉做饭。"},
			{d: []int{3, 0}, t: []string{"二次供水压力不足，高层经常没水", "{estate}高层住户用水难"},
				f: "{estate}{bldgno}号楼是高层，二次供水的加压泵老出问题，{floor}楼以上白天经常没水，只有后半夜才来点水，{I}只能半夜起来接水。"},
		},
		demands: []line{
			{f: "请尽快安排抢修，恢复正常供应。"},
			{f: "要求对水质进行检测并公布结果。"},
			{f: "希望燃气公司尽快通气，并说明延误原因。"},
			{f: "要求供水企业彻底解决二次供水问题，不能再修修补补。"},
		},
	},
	{
		key: "roads", label: "道路设施", weight: 0.05, place: "any",
		season:    [12]float64{0.6, 0.7, 1.4, 1.5, 1.1, 1.0, 1.4, 1.4, 1.0, 0.9, 0.7, 0.6},
		depts:     []deptShare{{"cgj", 1}},
		cityShare: 0.2, channels: [5]float64{0.05, 0.05, 0.2, 0.6, 0.1}, born: [2]int{1950, 1998},
		group: "村民", groupRate: 0.018,
		slots: func(r *rand.Rand, m *matter) {
			setAll(m, "n", itoa(ri(r, 2, 6)))
		},
		facts: []line{
			{d: []int{0, 3}, need: "estate", t: []string{"{road}路面坑洼不平", "{road}多处井盖破损下沉"},
				f: "{road}靠近{estate}的一段路面坑坑洼洼，最大的坑有脸盆那么大，下雨天积满了水看不出来，已经有好几个骑电动车的人摔倒了，还有{n}个井盖松动下沉。"},
			{d: []int{1, 0}, need: "village", g: true, t: []string{"{village}通村公路损毁严重", "{village}村路多年失修"},
				f: "{town}到{village}的通村公路是十几年前修的，现在路面碎得不成样子，雨天泥泞，孩子上学、村民卖粮都很困难，大车根本进不来。"},
			{d: []int{2}, need: "village", g: true, t: []string{"拉矿重车压坏村路", "{village}道路被重型货车压坏"},
				f: "这两年{village}附近开了选矿厂，拉矿的重车天天从村里过，刚修好两年的水泥路被压得稀碎，尘土飞扬，村民找厂里让修路，厂里说路是公家的。"},
			{d: []int{3, 0}, need: "estate", t: []string{"{road}路灯大面积不亮", "{road}路灯损坏夜间出行不安全"},
				f: "{road}从{estate}到十字路口这一段的路灯有一个多月不亮了，晚上黑灯瞎火，{my}老人晚上出去遛弯摔了一跤。"},
		},
		demands: []line{
			{f: "要求有关部门尽快修复，消除安全隐患。"},
			{need: "village", f: "希望把{village}的道路列入今年的农村公路维修计划。"},
			{need: "village", f: "请求限制重型车辆通行，并责令相关企业承担修复费用。"},
			{need: "estate", f: "请尽快安排维修，别等出了事故再修。"},
		},
	},
	{
		key: "school_enrollment", label: "入学教育", weight: 0.04, place: "estate",
		season:    [12]float64{0.4, 0.4, 0.7, 0.8, 0.9, 1.5, 2.0, 2.2, 1.5, 0.6, 0.4, 0.4},
		depts:     []deptShare{{"jyj", 1}},
		cityShare: 0.2, channels: [5]float64{0.1, 0.1, 0.25, 0.4, 0.15}, born: [2]int{1982, 1995},
		slots: func(r *rand.Rand, m *matter) {
			near := choose(r, "{dshort}第二小学", "{dshort}实验小学", "{town}中心小学", "{dshort}第三初级中学")
			far := choose(r, "{dshort}第五小学", "{dshort}第七小学", "{dshort}第四初级中学")
			setAll(m, "schoolnear", near, "schoolfar", far, "years", itoa(ri(r, 2, 8)), "years2", itoa(ri(r, 1, 3)),
				"grade", choose(r, "一年级", "初一"), "fee", itoa(ri(r, 4, 16)*50))
		},
		facts: []line{
			{d: []int{0}, t: []string{"孩子被划出学区无法就近入学", "{estate}学区划分不合理"},
				f: "{my}住在{estate}，离{schoolnear}只有几百米，可今年学区调整后，{estate}被划到了{schoolfar}，孩子上学要过{road}好几个路口，来回四公里多。"},
			{d: []int{1}, t: []string{"进城务工人员子女入学被要求提供不合理材料", "租房户子女入学难"},
				f: "{I}户口在乡下老家，这几年一直在城里打工，在{estate}租房住了{years}年，孩子今年该上{grade}。学校要求提供房产证和连续{years2}年的社保缴费证明，{I}在小企业上班，社保断过几个月，学校就不收。"},
			{d: []int{2}, g: true, t: []string{"学校违规收取费用", "{schoolnear}变相收费"},
				f: "{schoolnear}开学让每个学生交{fee}元，说是“校服费”“资料费”，还有一个“自愿”的课后服务费，班主任说不交的孩子放学要单独等，家长们敢怒不敢言。"},
			{d: []int{3}, g: true, t: []string{"小区配套幼儿园未移交", "{estate}配套幼儿园被挪作他用"},
				f: "{estate}规划的配套幼儿园建好好几年了，一直没有移交给教育部门，被开发商租出去开了{shop}，小区几百个孩子只能到很远的地方上幼儿园。"},
		},
		demands: []line{
			{f: "恳请教育部门按照就近入学原则，重新考虑{estate}的学区划分。"},
			{f: "希望教育部门依法保障孩子受教育的权利。"},
			{f: "要求查处学校违规收费行为，退还已收费用。"},
			{f: "请求督促开发商把配套幼儿园移交出来，办成普惠园。"},
		},
	},
	{
		key: "medical_insurance", label: "医保报销", weight: 0.04, place: "any", season: flat,
		depts:    []deptShare{{"ybj", 1}},
		channels: [5]float64{0.1, 0.1, 0.2, 0.45, 0.15}, born: [2]int{1945, 1992},
		slots: func(r *rand.Rand, m *matter) {
			setAll(m, "bigcity", choose(r, "北京", "沈阳", "天津", "锦州", "大连"),
				"surgery", choose(r, "心脏支架", "股骨头置换", "肺部肿瘤切除", "腰椎融合", "甲状腺切除"),
				"chronic", choose(r, "糖尿病", "冠心病", "慢性肾病", "三级高血压", "慢阻肺", "类风湿关节炎"),
				"patient", choose(r, "父亲", "母亲", "老伴", "孩子"), "cost", itoa(ri(r, 12, 160)*1000),
				"monthly", itoa(ri(r, 4, 20)*100), "times", itoa(ri(r, 3, 8)), "gap", itoa(ri(r, 3, 14)))
		},
		facts: []line{
			{d: []int{0, 1}, t: []string{"异地就医住院费用报销难", "在{bigcity}住院费用无法报销"},
				f: "{me}{patient}去年在{bigcity}的医院做了{surgery}手术，花了{cost}元，因为当时没来得及办异地就医备案，回来报销时医保中心说只能按很低的比例报，跑了{times}趟还是没办成。"},
			{d: []int{2}, t: []string{"门诊慢特病待遇申请被拒", "{chronic}门诊慢特病待遇认定"},
				f: "{I}患{chronic}好几年了，每月吃药要花{monthly}元，申请门诊慢特病待遇先是被告知材料不全，补交后又说不符合条件，可同样病情的邻居就批下来了。"},
			{d: []int{0, 2}, t: []string{"医保断缴后无法享受待遇", "灵活就业人员医保补缴问题"},
				f: "{I}是灵活就业人员，去年因为生病没钱断缴了{gap}个月医保，今年补交后医保中心说要等待期满才能报销，可{I}现在就要住院。"},
			{d: []int{3, 0}, t: []string{"定点医院让医保患者院外自费购药", "{hospital}让住院患者自费购药"},
				f: "{me}{patient}在{hospital}住院期间，医生让到院外药店自费买药，说医院里没有，花了{cost}元都不能报销，{I}怀疑是医院为了控制医保额度故意这么做。"},
		},
		demands: []line{
			{f: "请求医保部门按政策给予报销。"},
			{f: "希望简化异地就医报销手续，别让老百姓来回跑。"},
			{f: "要求重新审核待遇申请，给出书面理由。"},
			{f: "要求查处{hospital}的违规行为。"},
		},
	},
	{
		key: "pension", label: "养老待遇", weight: 0.05, place: "any", season: flat,
		depts:     []deptShare{{"rsj", 1}},
		cityShare: 0.5, channels: [5]float64{0.25, 0.25, 0.1, 0.25, 0.15}, born: [2]int{1942, 1966},
		slots: func(r *rand.Rand, m *matter) {
			setAll(m, "retyear", itoa(m.year-ri(r, 1, 12)), "workyears", itoa(ri(r, 25, 40)), "pension", itoa(ri(r, 22, 38)*100),
				"diff", itoa(ri(r, 3, 12)*100), "years", itoa(ri(r, 8, 20)), "patient", choose(r, "父亲", "母亲"),
				"oldage", itoa(ri(r, 86, 97)), "stopmonth", choose(r, "今年三月", "去年十一月", "今年年初", "上个月"),
				"pension2", itoa(ri(r, 160, 320)))
		},
		facts: []line{
			{d: []int{0, 3}, t: []string{"养老金核算有误", "退休后养老金比同事低很多"},
				f: "{I}{retyear}年退休，缴费{workyears}年，每月养老金只有{pension}元。和{I}同一年参加工作、同一个单位退休的同事比，每月少了{diff}元，社保经办机构说是视同缴费年限认定不一样，但{me}本人的档案是完整的。"},
			{d: []int{1}, t: []string{"特殊工种提前退休申请被驳回", "要求认定特殊工种提前退休"},
				f: "{I}在{enterprise}从事井下和高温作业{years}年，属于特殊工种，按规定可以提前退休。可申请时人社部门说档案里没有特殊工种的原始记录，不予认定。"},
			{d: []int{2, 3}, t: []string{"未通过资格认证养老金被停发", "卧床老人养老金停发"},
				f: "{me}{patient}今年{oldage}岁，常年卧床，因为没去做养老资格认证，养老金从{stopmonth}起就停了。问能不能上门认证，经办人员让自己想办法。"},
			{d: []int{4, 3}, need: "village", t: []string{"城乡居民养老保险待遇过低", "被征地农民养老保险政策落实"},
				f: "{I}是{village}的农民，交了十五年城乡居民养老保险，现在每月只能领{pension2}元，买药都不够。听说被征地农民可以参加更高档次的保险，{my}的地也被征了，却没人通知。"},
		},
		demands: []line{
			{f: "请求人社部门重新核定养老金。"},
			{f: "希望有关部门尊重历史，依据档案认定特殊工种。"},
			{f: "要求尽快恢复发放，并补发停发期间的养老金。"},
			{f: "恳请领导关心{we}这些老人的实际困难。"},
			{f: "希望落实被征地农民养老保障政策，提高待遇水平。"},
		},
	},
	{
		key: "illegal_construction", label: "违法建设", weight: 0.05, place: "any",
		season:    [12]float64{0.5, 0.5, 0.8, 1.3, 1.4, 1.4, 1.3, 1.3, 1.3, 1.1, 0.7, 0.5},
		depts:     []deptShare{{"cgj", 1}},
		cityShare: 0.1, townShare: 0.3, channels: [5]float64{0.1, 0.05, 0.2, 0.5, 0.15}, born: [2]int{1950, 1996},
		slots: func(r *rand.Rand, m *matter) {
			setAll(m, "sqm", itoa(ri(r, 12, 60)), "sqm2", itoa(ri(r, 120, 900)))
		},
		facts: []line{
			{d: []int{0, 2}, need: "estate", t: []string{"{estate}一楼住户私建院落", "一楼住户违建侵占绿地"},
				f: "{estate}{bldgno}号楼一楼的住户把楼前绿地圈起来盖了一间{sqm}平方米的彩钢房，还打了地基，挡住了消防通道，物业说管不了。"},
			{d: []int{2, 0}, need: "estate", t: []string{"顶楼住户违建阳光房", "楼顶私搭乱建存在安全隐患"},
				f: "{estate}{bldgno}号楼顶楼有人在楼顶平台上盖了阳光房，还砌了花池、放了好几个大水箱，{I}家就住在下面一层，屋顶已经开始渗水，担心楼板承受不了。"},
			{d: []int{3}, need: "village", t: []string{"占用耕地违法建房", "{village}有人在基本农田上盖房"},
				f: "{village}有人在基本农田上盖起了{sqm2}平方米的库房，说是搞养殖，实际上租给外地人当仓库，镇里来人看过，可房子照盖不误。"},
			{d: []int{1, 0}, need: "estate", t: []string{"违建多次举报未拆除", "限期拆除的违建至今仍在"},
				f: "{I}{lastyear}年就举报过{estate}的违法建设，执法部门当时也下了限期拆除通知书，可这么长时间过去了，违建不但没拆，还又接出去一截。"},
		},
		demands: []line{
			{f: "要求执法部门依法拆除违法建筑。"},
			{f: "希望有关部门查一查为什么违建迟迟拆不掉。"},
			{f: "请求尽快处理，消除安全隐患。"},
			{need: "village", f: "要求依法制止占用耕地的违法行为。"},
		},
	},
	{
		key: "veterans", label: "退役军人安置", weight: 0.025, place: "any", season: flat,
		depts:    []deptShare{{"tyjrj", 1}},
		channels: [5]float64{0.35, 0.3, 0.1, 0.1, 0.15}, born: [2]int{1955, 1978}, men: 0.92,
		group: "退役士兵", groupRate: 0.06,
		slots: func(r *rand.Rand, m *matter) {
			ey := m.first.birth.Year() + ri(r, 18, 20)
			setAll(m, "enlistyear", itoa(ey), "dischargeyear", itoa(ey+ri(r, 2, 12)),
				"honor", choose(r, "荣立三等功一次", "两次被评为优秀士兵", "参加过抗洪抢险", "参加过抗震救灾"),
				"grade", cnNum[ri(r, 6, 9)], "months", itoa(ri(r, 4, 18)), "years", itoa(ri(r, 3, 12)))
		},
		facts: []line{
			{d: []int{0}, g: true, t: []string{"退役士兵安置待遇未落实", "要求落实退役士兵安置政策"},
				f: "{I}于{enlistyear}年入伍，{dischargeyear}年退役，服役期间{honor}。按当时的政策应由政府安排工作，被安置到{enterprise}，没几年企业就倒闭了，至今没有稳定工作。"},
			{d: []int{1}, t: []string{"带病回乡退役军人生活补助未发放", "带病回乡退役军人补助待遇认定"},
				f: "{I}是带病回乡退役军人，按政策应享受定期生活补助，可去年提交的材料到现在也没有审核结果，退役军人事务部门说要等核查部队档案。"},
			{d: []int{2}, t: []string{"伤残等级评定有异议", "要求重新评定伤残等级"},
				f: "{I}在部队训练时受伤，退役时评的是{grade}级伤残，这些年伤情加重，申请重新评定，已经等了{months}个月。"},
			{d: []int{3}, t: []string{"军龄未计入社保缴费年限", "退役军人社保接续问题"},
				f: "{I}退役后到{enterprise}工作，现在准备办退休，社保经办机构说{years}年军龄没有视同缴费，退役军人事务部门说这事归人社管，两边都说不清。"},
		},
		demands: []line{
			{f: "恳请有关部门落实退役军人的安置政策。"},
			{f: "希望尽快审核并发放应得的补助。"},
			{f: "请求依法重新评定伤残等级。"},
			{f: "要求把服役年限依法计入缴费年限。"},
		},
	},
	{
		key: "social_assistance", label: "低保救助", weight: 0.04, place: "any", season: flat,
		depts:     []deptShare{{"mzj", 1}},
		cityShare: 0.05, townShare: 0.45, channels: [5]float64{0.2, 0.25, 0.1, 0.25, 0.2}, born: [2]int{1945, 1986},
		slots: func(r *rand.Rand, m *matter) {
			setAll(m, "members", cnNum[ri(r, 2, 5)], "chronic", choose(r, "尿毒症", "脑梗后遗症", "糖尿病并发症", "类风湿", "精神疾病"),
				"patient", choose(r, "爱人", "儿子", "老母亲"), "car", choose(r, "面包车", "农用三轮车", "二手轿车"),
				"disgrade", cnNum[ri(r, 1, 2)], "stopmonth", choose(r, "今年三月", "去年十月", "年初", "上半年"),
				"accident", choose(r, "房子着了火", "老伴突发脑出血住院", "孩子出了车祸", "大棚被大风刮塌了"), "debt", itoa(ri(r, 3, 25)))
		},
		facts: []line{
			{d: []int{0, 3}, t: []string{"家庭困难低保被取消", "低保复核后被停保"},
				f: "{my}{members}口人，{I}患有{chronic}，常年吃药，{patient}没有劳动能力。今年{town}复核时把低保取消了，理由是家里有一辆{car}，可那是十几年前买的旧车，早就开不了了。"},
			{d: []int{1, 3}, t: []string{"申请低保多次未获批", "困难户申请低保被拒"},
				f: "{I}{age}岁，一个人生活，没有任何收入，前后三次向所在村（社区）申请低保，都说名额满了。可有的人家盖着新房、开着轿车也吃着低保。"},
			{d: []int{2}, t: []string{"残疾人两项补贴停发", "要求发放残疾人生活补贴"},
				f: "{me}孩子是{disgrade}级智力残疾，按政策应当享受困难残疾人生活补贴和重度残疾人护理补贴，可从{stopmonth}起就没再发过，问{town}说是系统在调整。"},
			{d: []int{3}, t: []string{"临时救助申请无人受理", "突发困难申请临时救助"},
				f: "{my}今年{accident}，花光了积蓄还欠了{debt}万元外债，{I}去{town}申请临时救助，工作人员说要等年底统一报批。"},
		},
		demands: []line{
			{f: "请求民政部门重新审核，恢复低保。"},
			{f: "希望把救助落到真正困难的人身上。"},
			{f: "要求补发拖欠的补贴。"},
			{f: "恳请政府帮一把，渡过眼前的难关。"},
		},
	},
	{
		key: "consumer", label: "消费维权", weight: 0.05, place: "estate", season: flat,
		depts:     []deptShare{{"scjgj", 1}},
		cityShare: 0.2, channels: [5]float64{0.05, 0.05, 0.15, 0.7, 0.05}, born: [2]int{1968, 2002},
		slots: func(r *rand.Rand, m *matter) {
			setAll(m, "card", itoa(ri(r, 5, 60)*100), "households", itoa(ri(r, 50, 600)), "price2", itoa(ri(r, 18, 260)*100),
				"goods", choose(r, "实木家具", "空调", "整体橱柜", "电动车", "智能马桶"),
				"food", choose(r, "牛奶", "面包", "速冻饺子", "熟食", "奶粉"), "expired", itoa(ri(r, 2, 40)),
				"daysago", choose(r, "前天", "昨天", "上周末", "今天上午"), "kwhprice", strconv.FormatFloat(float64(ri(r, 12, 20))/10, 'f', 1, 64))
		},
		facts: []line{
			{d: []int{0, 1}, g: true, t: []string{"{shop}办卡后关门跑路", "预付卡商家关门无法退费"},
				f: "{I}在{road}的一家{shop}办了{card}元的会员卡，才用了几次，店就突然关门了，老板电话关机，像这样的会员有{households}多人。"},
			{d: []int{1, 2}, t: []string{"商品质量问题商家拒不退换", "购买{goods}出现质量问题"},
				f: "{I}在{road}一家店花{price2}元买了{goods}，用了不到一个月就出了问题，商家先说给修，后来又说是人为损坏，不给退也不给换。"},
			{d: []int{1, 2}, t: []string{"超市销售过期食品", "{road}某超市销售过期商品"},
				f: "{I}{daysago}在{road}的一家超市买的{food}，回家发现已经过期{expired}天了，找超市理论，超市只同意退货，不肯按规定赔偿。"},
			{d: []int{3}, t: []string{"小区电动车充电桩乱收费", "{estate}充电桩收费不明"},
				f: "{estate}的电动车充电桩是一家外地公司装的，每度电收{kwhprice}元，比居民电价高出好几倍，还另收“服务费”，收费标准从来没有公示过。"},
		},
		demands: []line{
			{f: "要求市场监管部门依法查处，帮忙退回剩余费用。"},
			{f: "请求依法维护消费者的合法权益。"},
			{f: "希望对商家进行调查，给个说法。"},
			{f: "要求公示收费标准，查处乱收费行为。"},
		},
	},
	{
		key: "stalled_building", label: "烂尾楼", weight: 0.03, place: "estate", season: flat,
		depts:     []deptShare{{"zjj", 1}},
		cityShare: 0.6, channels: [5]float64{0.25, 0.35, 0.1, 0.1, 0.2}, born: [2]int{1958, 1993},
		group: "购房户", groupRate: 0.09,
		slots: func(r *rand.Rand, m *matter) {
			y := m.year - ri(r, 4, 9)
			setAll(m, "buyyear", itoa(y), "promyear", itoa(y+2), "years", itoa(m.year-y-2), "stopfloor", itoa(ri(r, 6, 18)),
				"loan", itoa(ri(r, 12, 38)*100), "households", itoa(ri(r, 180, 900)), "downpay", itoa(ri(r, 12, 40)))
		},
		facts: []line{
			{d: []int{0, 1, 2}, g: true, t: []string{"{estate}项目烂尾多年", "{developer}开发项目停工烂尾"},
				f: "{I}{buyyear}年购买了{developer}开发的{estate}期房，合同约定{promyear}年交房，现在工地停了{years}年，楼盖到{stopfloor}层就再没动过，每月还在还{loan}元房贷。"},
			{d: []int{1, 0}, g: true, t: []string{"烂尾楼复工进度缓慢", "{estate}复工后又停工"},
				f: "{estate}去年市里开过现场会，说已经有了盘活方案，年后就复工。可复工没几天工地又没人了，{households}户购房户不知道该找谁。"},
			{d: []int{3, 2}, t: []string{"烂尾楼购房户要求退房退款", "{estate}购房户要求退还购房款"},
				f: "为买{estate}的房子，{I}交了首付{downpay}万元，那是一家人攒了半辈子的钱。现在项目烂尾，不想再等了，要求退房退款，开发商说没钱，银行说只认合同。"},
		},
		demands: []line{
			{f: "恳请政府出面协调，尽快让项目复工，保交楼、稳民生。"},
			{f: "希望有关部门公开盘活方案和时间表。"},
			{f: "要求依法冻结开发商资产，优先保障购房人权益。"},
			{f: "请求有关部门协调解除合同、退还购房款。"},
		},
	},
	{
		key: "land_contract", label: "土地承包", weight: 0.035, place: "village",
		season:    [12]float64{0.6, 0.7, 1.5, 1.6, 1.4, 1.0, 0.8, 0.8, 1.0, 1.2, 0.8, 0.6},
		districtW: []float64{0.8, 0.4, 1, 1.4, 1.5, 1.2},
		depts:     []deptShare{{"nyncj", 1}},
		cityShare: 0.05, townShare: 0.5, channels: [5]float64{0.3, 0.35, 0.1, 0.1, 0.15}, born: [2]int{1950, 1988},
		group: "村民", groupRate: 0.048,
		slots: func(r *rand.Rand, m *matter) {
			mu := ri(r, 4, 15)
			setAll(m, "mu", itoa(mu), "mu2", itoa(mu-ri(r, 1, 3)), "households", itoa(ri(r, 20, 90)), "rent", itoa(ri(r, 3, 8)*100))
		},
		facts: []line{
			{d: []int{0, 2}, t: []string{"确权登记时承包地被少登", "{village}二轮延包漏登承包地"},
				f: "{village}搞土地确权时，{my}承包的{mu}亩地只登记了{mu2}亩，剩下的地登到了别人名下。{I}找村委会，村委会说是测绘公司测的，让去找测绘公司。"},
			{d: []int{1, 2}, g: true, t: []string{"村委会强行收回承包地", "{village}违规调整承包地"},
				f: "{village}村委会以“规模经营”为名，把{households}户的承包地强行收回，统一流转给了外地老板，每亩流转费只给{rent}元，比市场价低一半。"},
			{d: []int{2, 1}, fem: true, t: []string{"外嫁女土地权益被剥夺", "出嫁后承包地被村里收回"},
				f: "{I}出嫁后户口一直在{village}，没有在婆家分到地，可村里以“嫁出去的女儿”为由把承包地收回了，征地补偿款也不分。"},
			{d: []int{3}, g: true, t: []string{"土地流转费被拖欠", "{village}合作社拖欠流转费"},
				f: "{village}的{households}户把承包地流转给了一家合作社，合同约定每年每亩{rent}元，可已经连续两年没给钱了，合作社负责人说经营亏损。"},
		},
		demands: []line{
			{f: "要求依法更正确权登记。"},
			{f: "请求有关部门纠正村委会的违规行为，退还承包地。"},
			{f: "希望依法保护农民的土地承包经营权。"},
			{f: "要求督促合作社按合同支付流转费。"},
		},
	},
	{
		key: "medical_service", label: "医疗服务", weight: 0.025, place: "any", season: flat,
		depts:    []deptShare{{"wjw", 1}},
		channels: [5]float64{0.05, 0.05, 0.2, 0.6, 0.1}, born: [2]int{1950, 1998},
		slots: func(r *rand.Rand, m *matter) {
			setAll(m, "patient", choose(r, "父亲", "母亲", "孩子", "老伴"), "cost", itoa(ri(r, 8, 40)*100))
		},
		facts: []line{
			{d: []int{0}, t: []string{"{hospital}急诊医生态度恶劣", "就医时遭医护人员推诿"},
				f: "{I}带{patient}到{hospital}看急诊，值班医生玩手机半天不理人，问了几句就让去别的医院，{patient}最后是在别的医院抢救过来的。"},
			{d: []int{1, 0}, t: []string{"{hospital}过度检查", "小病被要求做大量检查"},
				f: "{I}因为咳嗽去{hospital}看病，医生开了CT、核磁、抽血一大堆检查，花了{cost}元，最后就开了点消炎药。"},
			{d: []int{2}, need: "village", g: true, t: []string{"村卫生室长期无人值守", "{village}卫生室关门"},
				f: "{village}卫生室的村医去年退休后就没人了，门一直锁着，村里老人量个血压、拿点常用药都得跑到镇上。"},
		},
		demands: []line{
			{f: "要求卫生健康部门调查处理，给个说法。"},
			{f: "希望规范医院的诊疗行为，别让老百姓花冤枉钱。"},
			{need: "village", f: "请求尽快给{village}配备村医。"},
		},
	},
}

// accusation is the theme of 检举 petitions. Each fact names the kind of
// unit accused: "town" for the township or a department suffix.
var accusation = &theme{
	key: "accusation", label: "检举控告", weight: 0.016, place: "any", season: flat,
	channels: [5]float64{0.4, 0.05, 0.25, 0, 0.3}, born: [2]int{1955, 1990},
	slots: func(r *rand.Rand, m *matter) {
		setAll(m, "cadre", surnames[r.IntN(len(surnames))]+"某某", "withheld", itoa(ri(r, 12, 180)),
			"relw", choose(r, "亲弟弟", "小舅子", "亲家", "外甥"), "months", itoa(ri(r, 3, 10)), "bribe", itoa(ri(r, 2, 20)*1000),
			"project", choose(r, "{dshort}高速公路连接线", "{town}工业园区", "光伏发电项目", "风电场项目"))
	},
	facts: []line{
		{need: "village", t: []string{"检举{village}村干部截留征地补偿款"}, f: "{I}实名检举{town}{village}党支部书记{cadre}。{lastyear}年{project}征地时，{cadre}伙同村会计虚报征地面积、截留村民补偿款，涉及金额约{withheld}万元；村里的账目从不公开，村民多次要求查账被拒。镇里有关领导与其关系密切，村民反映后没有下文。"},
		{need: "village", t: []string{"检举{town}低保评定优亲厚友"}, f: "{town}在低保评定中优亲厚友，村干部{cadre}的{relw}家有楼房、有轿车，却常年领着低保，真正困难的人家申请不上。{I}去镇里反映，经办人员转身就把{I}反映的情况告诉了村干部，{I}现在在村里受到排挤。"},
		{need: "estate", t: []string{"检举城管执法人员选择性执法、收受好处"}, f: "{I}检举{district}城市管理综合行政执法局执法人员{cadre}。{road}沿街的违建和占道经营，别人家都被拆、被罚，唯独几家和{cadre}关系好的老板从来不查，逢年过节还往他家送东西。"},
		{need: "estate", t: []string{"检举住建部门工作人员吃拿卡要"}, f: "{I}是做小工程的，检举{district}住房和城乡建设局{cadre}在工程质量验收中吃拿卡要，不给好处就以各种理由拖着不验收，{I}承包的工程因此拖了{months}个月，最后被迫给了{bribe}元“辛苦费”。"},
		{need: "estate", t: []string{"检举市场监管人员包庇无证经营"}, f: "{I}多次向{district}市场监督管理局举报{road}一家无证经营的{shop}，每次都说去查了，可那家店一直照常营业。后来才知道，店老板是该局{cadre}的{relw}。"},
		{need: "estate", t: []string{"检举自然资源部门工作人员违规办理规划变更"}, f: "{I}检举{district}自然资源部门工作人员{cadre}，其在{lastyear}年为{developer}违规办理了{estate}项目的规划变更手续，把小区绿地改成了商业用地，涉嫌收受好处。"},
	},
	demands: []line{
		{f: "恳请纪检监察机关严肃调查，依纪依法处理。"},
		{f: "请为检举人保密，{I}担心遭到打击报复。"},
		{f: "希望上级查清问题，还群众一个公道。"},
	},
}

// accusedSuffix is the kind of unit each accusation fact accuses, by index.
var accusedSuffix = []string{"town", "town", "cgj", "zjj", "scjgj", "zrzyj"}
