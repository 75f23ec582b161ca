package demo

import "hash/fnv"

// CityCode is the GB/T 2260 code of 葫芦岛市.
const CityCode = "211400"

// district is a district or county of the city, with the places the demo
// petitions talk about.
type district struct {
	code   string
	name   string // 连山区
	short  string // 连山
	head   string // 区长 / 县长 / 市长
	login  string // prefix of demo logins: "xc" for 兴城市
	weight float64
	urban  float64 // share of petitioners living in town (小区) rather than a village
	towns  []town
	roads  []string
	heat   []string // heating companies serving the district
}

// town is a street office (街道), town (镇) or township (乡).
type town struct {
	code     string
	name     string
	estates  []string // residential compounds (小区)
	villages []string
}

func (t town) headTitle() string {
	switch last(t.name) {
	case "镇":
		return "镇长"
	case "乡":
		return "乡长"
	default:
		return "主任"
	}
}

func last(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return ""
	}
	return string(r[len(r)-1])
}

// districts lists the six districts and counties in GB/T 2260 order.
// Weights roughly follow population and petition volume.
var districts = []*district{
	{
		code: "211402", name: "连山区", short: "连山", head: "区长", login: "ls", weight: 0.22, urban: 0.82,
		towns: []town{
			{code: "211402-lsjd", name: "连山街道", estates: []string{"新华园小区", "锦绣华庭", "化工宿舍小区", "中央花园"}},
			{code: "211402-zqjd", name: "站前街道", estates: []string{"站前花园", "盛世名都", "铁路东家属楼", "金都小区"}},
			{code: "211402-bhjd", name: "渤海街道", estates: []string{"渤海明珠", "海天阁", "渤海家园", "锦郊新村"}},
			{code: "211402-gtz", name: "钢屯镇", villages: []string{"钢屯村", "上甸子村", "二道边村", "马家沟村"}},
			{code: "211402-tsx", name: "塔山乡", villages: []string{"塔山村", "白台子村", "刘家屯村", "北山村"}},
		},
		roads: []string{"中央路", "新华大街", "连山大街", "站前路", "兴工街", "渤海大街", "化工路", "锦葫路"},
		heat:  []string{"连山区鑫源热力有限公司", "葫芦岛市暖阳供热有限公司", "葫芦岛市兴工热电有限公司"},
	},
	{
		code: "211403", name: "龙港区", short: "龙港", head: "区长", login: "lg", weight: 0.15, urban: 0.9,
		towns: []town{
			{code: "211403-lwjd", name: "龙湾街道", estates: []string{"龙湾新城", "海景花园", "碧海蓝天小区", "滨海家园"}},
			{code: "211403-yhjd", name: "玉皇街道", estates: []string{"玉皇家园", "锦江山水", "望海小区", "海韵名居"}},
			{code: "211403-bgjd", name: "北港街道", estates: []string{"北港家园", "港湾小区", "冶炼厂宿舍"}},
			{code: "211403-ssx", name: "双树乡", villages: []string{"双树村", "小坝村", "陈家沟村", "于家屯村"}},
		},
		roads: []string{"龙湾大街", "海辰路", "玉皇路", "滨海路", "北港大街", "望海路", "海飞路"},
		heat:  []string{"龙港区滨海热力有限公司", "葫芦岛北港供热有限公司"},
	},
	{
		code: "211404", name: "南票区", short: "南票", head: "区长", login: "np", weight: 0.07, urban: 0.55,
		towns: []town{
			{code: "211404-jljd", name: "九龙街道", estates: []string{"九龙小区", "矿工新村", "惠民家园", "南票新城"}},
			{code: "211404-sgtx", name: "沙锅屯乡", villages: []string{"沙锅屯村", "前杖子村", "后杖子村"}},
			{code: "211404-nctz", name: "暖池塘镇", villages: []string{"暖池塘村", "大窝铺村", "老爷庙村"}},
			{code: "211404-gylz", name: "缸窑岭镇", villages: []string{"缸窑岭村", "郝家屯村", "西山村"}},
			{code: "211404-hlxz", name: "虹螺岘镇", villages: []string{"虹螺岘村", "小虹螺村", "高家沟村"}},
		},
		roads: []string{"九龙街", "南票大街", "矿山路", "新兴路", "工人街"},
		heat:  []string{"南票区九龙供热有限公司", "南票区矿区供热站"},
	},
	{
		code: "211421", name: "绥中县", short: "绥中", head: "县长", login: "sz", weight: 0.23, urban: 0.5,
		towns: []town{
			{code: "211421-szz", name: "绥中镇", estates: []string{"西关小区", "滨河花园", "兴绥家园", "北环路小区", "六股河畔"}},
			{code: "211421-wjz", name: "万家镇", estates: []string{"东戴河海景公寓", "碧海湾小区", "滨海新城"}, villages: []string{"南江屯村", "止锚湾村", "红石村"}},
			{code: "211421-qsz", name: "前所镇", villages: []string{"前所村", "城西村", "马家村", "黄家村"}},
			{code: "211421-glz", name: "高岭镇", villages: []string{"高岭村", "王家店村", "房身村"}},
			{code: "211421-qwz", name: "前卫镇", villages: []string{"前卫村", "东关村", "沙河村"}},
		},
		roads: []string{"西大街", "东大街", "站前路", "北环路", "滨河路", "城郊路", "绥中大街"},
		heat:  []string{"绥中县城区供热有限公司", "绥中县东戴河热力有限公司"},
	},
	{
		code: "211422", name: "建昌县", short: "建昌", head: "县长", login: "jc", weight: 0.15, urban: 0.4,
		towns: []town{
			{code: "211422-jcz", name: "建昌镇", estates: []string{"龙山小区", "阳光家园", "凌河畔小区", "县医院家属楼", "兴建花园"}},
			{code: "211422-bjzz", name: "八家子镇", villages: []string{"八家子村", "西山村", "东营子村", "四道沟村"}},
			{code: "211422-lmdz", name: "喇嘛洞镇", villages: []string{"喇嘛洞村", "二道沟村", "梁家店村"}},
			{code: "211422-ywmz", name: "药王庙镇", villages: []string{"药王庙村", "孤山子村", "上三家村"}},
			{code: "211422-lltz", name: "玲珑塔镇", villages: []string{"玲珑塔村", "大杖子村", "柳树底村"}},
		},
		roads: []string{"凌河路", "兴建路", "建昌大街", "人民路", "东环路"},
		heat:  []string{"建昌县恒通供热有限公司", "建昌县城镇供热公司"},
	},
	{
		code: "211481", name: "兴城市", short: "兴城", head: "市长", login: "xc", weight: 0.18, urban: 0.72,
		towns: []town{
			{code: "211481-gcjd", name: "古城街道", estates: []string{"古城家园", "钟鼓楼小区", "宁远古城西区"}},
			{code: "211481-wqjd", name: "温泉街道", estates: []string{"温泉花园", "汤泉雅居", "温泉新村"}},
			{code: "211481-nyjd", name: "宁远街道", estates: []string{"宁远小区", "兴海家园", "华山小区"}},
			{code: "211481-dytjd", name: "钓鱼台街道", estates: []string{"海滨花园", "滨海壹号", "菊花岛海景小区", "观海苑"}},
			{code: "211481-shsz", name: "沙后所镇", villages: []string{"沙后所村", "三道沟村", "小坞村"}},
			{code: "211481-czz", name: "曹庄镇", villages: []string{"曹庄村", "七里坡村", "夹山村"}},
		},
		roads: []string{"兴海路", "温泉街", "宁远路", "古城大街", "海滨路", "兴城大路", "首山路"},
		heat:  []string{"兴城市宁远热力有限公司", "兴城市温泉供热有限公司"},
	},
}

func districtByCode(code string) *district {
	for _, d := range districts {
		if d.code == code {
			return d
		}
	}
	return nil
}

// Invented company names. Each estate is tied to one developer and one
// property company so that petitions about the same estate agree.
var (
	developers = []string{
		"葫芦岛宏泰房地产开发有限公司", "葫芦岛鑫海置业有限公司", "葫芦岛金港房地产开发有限公司",
		"辽宁盛世华府置业有限公司", "葫芦岛恒远房地产开发有限公司", "葫芦岛隆昌置业有限公司",
		"葫芦岛锦宏房地产开发有限公司", "辽宁海润置业有限公司", "葫芦岛昌达房地产开发有限公司",
		"葫芦岛润丰置业有限公司", "葫芦岛瑞景房地产开发有限公司",
	}
	propertyCos = []string{
		"安居物业服务有限公司", "万家乐物业管理有限公司", "顺心物业服务有限公司",
		"恒泰物业管理有限公司", "金管家物业服务有限公司", "鑫诚物业服务有限公司", "康居物业管理有限公司",
	}
	builders = []string{
		"辽宁鼎盛建设工程有限公司", "葫芦岛华信建筑安装工程有限公司", "辽宁中昊建设集团有限公司",
		"葫芦岛宏业建筑工程有限公司", "辽宁金鼎建筑工程有限公司", "葫芦岛永兴建设有限公司",
		"锦州恒达建筑劳务有限公司", "葫芦岛利民市政工程有限公司",
	}
	// Former state or collective enterprises whose restructuring left problems.
	oldEnterprises = map[string][]string{
		"211402": {"原葫芦岛市第二机床厂", "原市针织总厂", "原连山区五金厂"},
		"211403": {"原市建材公司", "原龙港区水产加工厂", "原市造纸厂"},
		"211404": {"原南票区红光煤矿", "原南票区机修厂", "原南票区砖瓦厂"},
		"211421": {"原绥中县农机修造厂", "原绥中县酒厂", "原绥中县供销社"},
		"211422": {"原建昌县铁合金厂", "原建昌县粮库", "原建昌县水泥厂"},
		"211481": {"原兴城市罐头厂", "原兴城市泳装一厂", "原兴城市第一建筑公司"},
	}
	shops = []string{
		"健身会所", "美容美发店", "洗车行", "游泳馆", "教育培训学校", "家具城", "装修公司", "汽车4S店", "手机卖场", "超市",
	}
	factories = []string{
		"化工厂", "铸造厂", "砖厂", "石材加工厂", "沥青搅拌站", "养殖场", "塑料颗粒加工厂", "木材加工厂", "钼矿选厂", "混凝土搅拌站",
	}
)

func pick(list []string, key string) string {
	h := fnv.New32a()
	h.Write([]byte(key))
	return list[int(h.Sum32()%uint32(len(list)))]
}
