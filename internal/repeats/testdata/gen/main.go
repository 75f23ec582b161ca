// Command gen writes labelled.jsonl, the tuning set for package repeats.
//
// Each matter is a concrete situation (a theme, a district, named places and
// organisations, numbers and a petitioner). Petitions about it are composed
// from per-theme pools of facts, each fact with several hand-written phrasings,
// shuffled and dropped at random, wrapped in the style of a channel (letter,
// visit register, online form, 12345 operator summary, mayor's mailbox), and
// sometimes rewritten in traditional characters or with typos. Hard negatives
// are matters of the same theme in the same district with a different estate,
// company, village or person, and second matters raised by the same person.
//
//	go run ./internal/repeats/testdata/gen > internal/repeats/testdata/labelled.jsonl
package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"strings"
	"time"
)

type rec struct {
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

var rng = rand.New(rand.NewSource(20261201))

func pick(xs []string) string { return xs[rng.Intn(len(xs))] }

var districts = []struct{ code, name string }{
	{"211402", "连山区"}, {"211403", "龙港区"}, {"211404", "南票区"},
	{"211421", "绥中县"}, {"211422", "建昌县"}, {"211481", "兴城市"},
}

var surnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎常武乔贺赖龚文")
var given = []string{"建国", "秀兰", "桂芳", "玉梅", "志强", "海燕", "丽华", "文斌", "春生", "淑珍", "明", "军", "伟", "勇", "静", "凤琴", "国庆", "红梅", "德胜", "宝山", "长林", "翠花", "立新", "金凤", "振华", "秀英", "永刚", "晓东", "丽娟", "福贵", "玉兰", "凤芝", "铁柱", "树林", "雅琴", "春燕", "学军", "宏伟", "冬梅", "桂兰", "占江", "殿臣", "喜荣", "艳秋", "洪亮", "海波", "淑芬", "广义", "立国", "亚楠"}

func name() string { return string(surnames[rng.Intn(len(surnames))]) + pick(given) }

func idNumber(district string) string {
	birth := time.Date(1950+rng.Intn(48), time.Month(1+rng.Intn(12)), 1+rng.Intn(28), 0, 0, 0, 0, time.UTC)
	s := district + birth.Format("20060102") + fmt.Sprintf("%03d", rng.Intn(1000))
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range s {
		sum += int(c-'0') * w[i]
	}
	return s + string("10X98765432"[sum%11])
}

func phone() string {
	p := []string{"130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158", "159", "176", "186", "187", "188", "189", "199"}
	return pick(p) + fmt.Sprintf("%08d", rng.Intn(100000000))
}

var estates = map[string][]string{
	"211402": {"锦绣华庭小区", "阳光家园小区", "海韵名居", "世纪花园小区", "书香名苑", "鑫都家园", "新华里小区", "化工厂宿舍小区", "东方明珠小区", "金色港湾小区"},
	"211403": {"龙湾新城", "滨海花园小区", "碧海蓝天小区", "龙港春天小区", "天泰城小区", "海星家园", "玉皇新村小区", "葫芦岛港湾小区", "北港嘉园", "望海寺小区"},
	"211404": {"南票新城小区", "矿山家园", "沙锅屯小区", "苇子沟小区", "暖池塘家园", "和平里小区", "翠岩花园", "九龙山苑"},
	"211421": {"绥中世纪花园", "东戴河小区", "万家福苑", "六股河家园", "前所花园小区", "西关家园", "锦江名苑", "瑞州新城"},
	"211422": {"建昌滨河小区", "龙山家园", "大凌河花园", "汤神庙小区", "温泉新城", "建昌名都小区", "石佛花园", "谷丰小区"},
	"211481": {"宁远花园小区", "古城家园", "温泉小区", "兴海嘉园", "首山名苑", "觉华花园", "海滨新城小区", "钓鱼台小区", "菊花岛家园", "兴城春天小区"},
}

var villages = map[string][][2]string{
	"211402": {{"塔山乡", "白台子村"}, {"钢屯镇", "韩家沟村"}, {"山神庙子乡", "乱石山村"}, {"塔山乡", "后杖子村"}, {"钢屯镇", "老边村"}, {"新台门镇", "石河子村"}},
	"211403": {{"北港镇", "东山根村"}, {"双树乡", "杨杖子村"}, {"龙港街道", "高家岭村"}, {"双树乡", "杏山村"}, {"北港镇", "西树林村"}, {"双树乡", "砂金沟村"}},
	"211404": {{"沙锅屯乡", "四道沟村"}, {"暖池塘镇", "大窑沟村"}, {"虹螺岘镇", "三家子村"}, {"黄土坎乡", "碱厂村"}, {"金星镇", "大甸子村"}, {"缸窑岭镇", "朝阳村"}},
	"211421": {{"前所镇", "王家屯村"}, {"高台镇", "沙河营村"}, {"万家镇", "孟家村"}, {"李家堡乡", "三道沟村"}, {"荒地镇", "大台子村"}, {"西甸子镇", "龙王庙村"}},
	"211422": {{"谷杖子乡", "毛家店村"}, {"汤神庙镇", "杨树沟村"}, {"喇嘛洞镇", "石门子村"}, {"八家子镇", "马道子村"}},
	"211481": {{"沙后所镇", "孟家屯村"}, {"曹庄镇", "二道边村"}, {"高家岭镇", "刘家沟村"}, {"东辛庄镇", "徐家村"}, {"南大山乡", "碾盘沟村"}, {"碱厂乡", "大甸村"}},
}

var roads = map[string][]string{
	"211402": {"中央路", "新华大街", "兴工街", "锦江路"},
	"211403": {"龙湾大街", "海飞路", "玉皇路", "滨海路"},
	"211404": {"南票大街", "矿工路", "新华路"},
	"211421": {"绥中大街", "西关街", "站前路"},
	"211422": {"建昌大街", "滨河路", "府前街"},
	"211481": {"兴海路", "古城南街", "温泉街", "菊花大街"},
}

var companyCores = []string{"宏达", "鑫盛", "恒泰", "兴盛", "华鑫", "天宇", "东升", "金地", "隆基", "瑞丰", "通达", "正阳", "海川", "福源", "德润", "永安", "博远", "辰宇", "新港", "泰和", "嘉禾", "鸿运", "长城", "北方"}

var usedCore = map[string]bool{}

func company(kind string) string {
	c := pick(companyCores)
	for i := 0; i < 30 && usedCore[kind+c]; i++ {
		c = pick(companyCores)
	}
	usedCore[kind+c] = true
	switch kind {
	case "build":
		return "葫芦岛" + c + pick([]string{"建筑工程有限公司", "建设集团有限公司", "建筑安装有限公司"})
	case "heat":
		return c + "热力有限公司"
	case "prop":
		return c + "物业服务有限公司"
	case "dev":
		return c + "房地产开发有限公司"
	case "factory":
		return c + pick([]string{"化工厂", "铸造厂", "选矿厂", "塑料制品厂", "石材加工厂"})
	case "soe":
		return "葫芦岛市" + pick([]string{"第二纺织厂", "机械厂", "罐头厂", "造纸厂", "锌制品厂", "渤海轴承厂", "糖厂", "第一运输公司", "五金厂", "化肥厂"})
	}
	return c + "公司"
}

type person struct{ name, id, phone, addr, district string }

func newPerson(d, addr string) person {
	return person{name(), idNumber(d), phone(), addr, d}
}

func estateAddr(dname, estate string) string {
	a := fmt.Sprintf("%d号楼%d单元%d0%d室", 1+rng.Intn(30), 1+rng.Intn(6), 1+rng.Intn(6), 1+rng.Intn(4))
	if rng.Intn(2) == 0 {
		return "葫芦岛市" + dname + estate + a
	}
	return dname + estate + a
}

// theme: fact pools, each fact a list of phrasings. Slots: {E} estate/place,
// {C} company, {X} second organisation, {Y} year, {N} number, {M} money,
// {T} temperature, {R} road, {V} village, {Z} town, {S} school or source,
// {H} hospital, {W} work, {D} district name.
type theme struct {
	key       string
	titles    []string
	facts     [][]string
	demands   []string
	group     bool // group petitions by many people are natural
	hotlineTo string
}

var themes = []theme{
	{key: "heating", titles: []string{"{E}供暖不热", "反映{E}冬季室温不达标", "{E}暖气不热问题", "家里暖气太凉", "供热温度不达标", "冬天屋里冷得待不住"},
		facts: [][]string{
			{"今年入冬以来家里暖气一直不热", "自从11月开始供暖，我家暖气片就是温乎的", "供暖季开始后屋里暖气始终上不来温度", "这个采暖期暖气摸着冰凉"},
			{"室内温度只有{T}度左右", "屋里温度计测了才{T}度", "家中室温一直在{T}℃上下，远低于18度的标准", "白天屋里才{T}度，晚上更低"},
			{"家里有八十多岁的老人，冻得直感冒", "老人孩子在屋里都得穿棉袄", "晚上睡觉得盖两层被子", "孩子冻感冒了好几次"},
			{"给{X}打了很多次电话，只说派人来看，一直没人来", "找过{X}，来人放了放气就走了，还是不热", "多次联系供热单位{X}，对方推说是管网老化", "{X}的客服电话根本打不通"},
			{"我们{N}号楼整栋楼都不热", "同单元好几户都是这个情况", "不止我一家，楼上楼下都不热", "小区里很多住户都反映过"},
			{"取暖费{M}元一分没少交", "每年都按时交了取暖费{M}元", "取暖费早就交齐了"},
		},
		demands:   []string{"希望有关部门督促{X}尽快解决，保证室温达标", "要求退还部分取暖费并尽快把暖气修好", "请求热力公司上门检修管线，让老百姓暖暖和和过冬", "请政府管一管供热公司"},
		hotlineTo: "供热", group: true},
	{key: "cert", titles: []string{"{E}办不了房产证", "要求办理不动产权证", "房产证多年办不下来", "{E}业主办证难", "买房多年没有房本"},
		facts: [][]string{
			{"我于{Y}年在{E}买了一套商品房", "{Y}年购买了{X}开发的{E}住宅", "{Y}年买的{E}的房子，已经住了好几年", "我家在{E}，房子是{Y}年从开发商手里买的"},
			{"房款{M}万元早已全部付清", "购房款全部交齐，契税也交了", "钱一分不差都交给了开发商"},
			{"到现在还办不了房产证", "至今拿不到不动产权证书", "房本一直办不下来", "去办证被告知办不了"},
			{"开发商{X}说是土地手续不全", "听说是{X}欠着土地出让金，所以办不了", "去不动产登记中心问，说这个项目没有竣工验收备案", "{X}一拖再拖，说在跑手续"},
			{"整个小区{N}多户都没有办下来", "同小区好几百户都是这个问题", "周围邻居也都没有房本"},
			{"孩子上学、房子过户都受影响", "没有房本孩子上学落户都成问题", "想把房子卖了给老人看病也卖不了"},
		},
		demands: []string{"请求政府协调尽快给我们办理房产证", "希望参照容缺受理的办法先给我们办证", "要求开发商尽快补齐手续，给业主办证", "恳请领导帮我们把房产证办下来"},
		group:   true, hotlineTo: "不动产登记"},
	{key: "wage", titles: []string{"{C}拖欠农民工工资", "讨要工资", "反映被拖欠工钱", "{C}欠薪问题", "农民工工资被拖欠"},
		facts: [][]string{
			{"我是在{C}承建的{E}工地干活的农民工", "{Y}年我在{C}的{E}项目上打工", "我们跟着{C}在{E}工程上干了大半年", "我在{C}负责的{E}工地做{W}"},
			{"从{Y}年3月一直干到11月", "活儿早就干完了，工程都验收了", "干了八个多月，一分钱没拿到"},
			{"一共被拖欠工资{M}元", "老板还欠我工钱{M}元没给", "欠薪{M}元到现在也没付", "算下来欠我{M}元"},
			{"包工头说开发商没给钱", "找过项目经理好几次，一直推脱", "老板电话不接，人也找不到了", "公司说等工程款下来再给"},
			{"家里老人看病、孩子上学都等着这钱用", "快过年了，拿不到钱没法回家", "我们都是靠力气吃饭的，这钱是血汗钱"},
			{"一起干活的还有{N}多名工友，都没拿到工资", "和我一样被欠工资的有{N}来人"},
		},
		demands: []string{"请求劳动监察部门帮我们讨回工资", "希望政府督促{C}尽快支付拖欠的工资", "要求尽快结清欠薪", "恳请有关部门为农民工做主"},
		group:   true, hotlineTo: "人社"},
	{key: "reloc", titles: []string{"{E}棚改回迁遥遥无期", "棚改回迁问题", "要求尽快回迁", "{E}拆迁户过渡费停发", "棚户区改造回迁"},
		facts: [][]string{
			{"{Y}年我家的房子被划入{E}棚户区改造范围，签了回迁协议", "我家老房子在{E}，{Y}年签了棚改协议搬了出去", "{Y}年{E}棚改，我们是拆迁户"},
			{"当时约定两年回迁，到现在已经过去{K}年了还没回迁", "回迁楼至今没有建完，工地停工好久了", "说好的回迁房到现在连个影都没有"},
			{"过渡费从去年开始就停发了", "临时安置费只给了一年，后来就不给了", "每月的过渡费拖了好几个月"},
			{"一家人一直在外租房住，每月房租{M}元", "老人跟着我们在外面租房，搬了好几次家", "租房子的钱都是自己掏"},
			{"找过{X}和街道，都说在协调", "开发商{X}资金链断了", "去问了好几回，都说快了快了"},
		},
		demands: []string{"请求尽快安排回迁并补发过渡费", "希望政府督促项目尽快复工，让我们早日回迁", "要求按协议兑现回迁房"},
		group:   true, hotlineTo: "住建"},
	{key: "soe", titles: []string{"企业改制遗留社保问题", "{C}改制后养老保险断缴", "办不了退休", "要求补缴社保", "改制职工社保问题"},
		facts: [][]string{
			{"我原来是{C}的职工，{Y}年企业改制时买断了工龄", "我在{C}干了二十多年，{Y}年改制时下岗", "{Y}年{C}改制，我被买断身份"},
			{"改制时说好给补缴社保，到现在也没补上", "社保断缴了{K}年，企业一直没给补", "改制协议上写着由企业补缴养老保险，一直没落实"},
			{"现在到了退休年龄，因为养老保险断档办不了退休", "眼看到岁数了，缴费年限不够领不了养老金", "去社保局办退休，说缴费年限差{K}年"},
			{"改制后企业没了，找不到负责的人", "找过主管局，让找原企业", "原来的厂长早就不管了"},
			{"家里生活困难，就指望这点养老金", "我身体不好，没有收入"},
		},
		demands:   []string{"请求有关部门解决改制遗留的社保问题", "希望帮助补缴养老保险，按时办理退休", "要求落实改制时的承诺"},
		hotlineTo: "人社"},
	{key: "noise", titles: []string{"{S}噪音扰民", "夜间噪音严重影响休息", "投诉{S}扰民", "楼下吵得睡不着", "噪音污染问题"},
		facts: [][]string{
			{"我家住在{E}{N}号楼", "我是{E}的住户", "我们{E}的居民"},
			{"楼下新开的{S}每天营业到后半夜", "小区旁边的{S}天天夜里干活", "紧挨着我家的{S}一到晚上就开始闹腾"},
			{"噪音特别大，吵得根本睡不着", "喧哗声、机器声一直持续到凌晨两三点", "吵闹声震得窗户都响"},
			{"打过110，来了之后安静一会儿又开始", "和老板沟通过好几次，根本不听", "城管来过一次，之后照旧"},
			{"家里有高三学生要休息", "老人有心脏病，被吵得血压升高", "白天还要上班，整宿睡不好觉"},
		},
		demands:   []string{"请求环保和城管部门依法处理", "要求{S}晚上十点以后停止噪音", "希望还居民一个安静的环境"},
		hotlineTo: "生态环境"},
	{key: "pollution", titles: []string{"{C}污染环境", "反映{V}附近工厂排污", "工厂偷排污水", "黑烟异味严重", "投诉企业污染"},
		facts: [][]string{
			{"我们{Z}{V}附近有一家{C}", "{V}东头的{C}", "{Z}{V}旁边的{C}"},
			{"天天往外排黑烟，气味刺鼻", "污水直接排进村边的河沟里，河水都发黑了", "晚上偷偷排放废气，一股臭味"},
			{"庄稼被熏得发黄减产", "村民嗓子疼、咳嗽的很多", "井水都不敢喝了"},
			{"向镇里反映过，说是企业有手续", "环保部门来查过一次，过后照样排", "厂子白天停，晚上开"},
		},
		demands: []string{"要求环保部门严查{C}，停产整治", "希望还我们干净的空气和水", "请求关停这家污染企业"},
		group:   true, hotlineTo: "生态环境"},
	{key: "land", titles: []string{"{V}征地补偿款未足额发放", "征地补偿问题", "要求发放征地款", "{V}土地被征用没给钱"},
		facts: [][]string{
			{"{Y}年{Z}{V}的耕地被征用修建{E}", "我家{N}亩承包地在{Y}年被{E}项目征收", "{Y}年{E}占了我们{V}的地"},
			{"征地补偿款至今没有足额发放", "每亩只给了{M}元，比标准低很多", "补偿款只发了一半"},
			{"村里说钱被镇里扣着", "村干部一直说等上面拨款", "问村委会，说账目不清楚"},
			{"失地后没有生活来源", "失地农民的社保也没给办", "地没了，一家人吃饭都成问题"},
		},
		demands: []string{"请求按标准足额发放征地补偿款", "要求公开补偿款发放明细", "希望上级部门调查补偿款去向"},
		group:   true, hotlineTo: "自然资源"},
	{key: "prop", titles: []string{"{E}物业不作为", "投诉{X}", "物业服务差", "{E}物业问题", "要求更换物业"},
		facts: [][]string{
			{"{E}的物业{X}服务太差", "我们{E}的物业公司是{X}", "{E}由{X}管理"},
			{"楼道灯坏了几个月没人修", "垃圾堆在楼下好几天不清运", "电梯经常坏，老人上下楼困难", "下水道堵了找物业没人管"},
			{"物业费每年都涨，服务却越来越差", "物业费按每平米{T}毛收，却什么都不管"},
			{"业主想成立业主委员会，街道一直不批", "业主们和物业吵了好几次"},
		},
		demands: []string{"请求住建部门监督{X}整改", "要求更换物业公司", "希望相关部门管管这个物业"},
		group:   true, hotlineTo: "住建"},
	{key: "water", titles: []string{"{E}停水", "家里没水了", "{E}长时间停水", "反映停水问题", "自来水停了好几天"},
		facts: [][]string{
			{"{E}从{N}号开始停水", "我们{E}已经连续停水{N}天了", "{E}这几天一直没有自来水"},
			{"没有任何通知", "自来水公司说是管道爆裂正在抢修", "打电话问说不清楚什么时候来水"},
			{"吃水做饭都成了问题", "只能去亲戚家拉水", "家里老人上厕所都没法冲"},
		},
		demands: []string{"请求尽快恢复供水", "希望供水部门说明原因，尽快抢修", "要求送水车先给居民送水"},
		group:   true, hotlineTo: "供水"},
	{key: "road", titles: []string{"{R}路面破损", "{R}坑洼不平", "道路维修", "{R}塌陷需修补"},
		facts: [][]string{
			{"{D}{R}路面坑洼不平", "{R}靠近{E}的路段塌了一个大坑", "{R}从去年开始路面就坏了"},
			{"下雨天积水很深，车辆行人都很难走", "已经有好几个骑电动车的人摔倒", "晚上没有路灯，坑看不清"},
			{"这个坑已经存在一年多了", "修过一次，没过多久又坏了"},
		},
		demands: []string{"请求城建部门尽快维修{R}", "希望尽快把坑填上", "要求设置警示标志并修路"},
		group:   true, hotlineTo: "城建"},
	{key: "school", titles: []string{"孩子入学问题", "{S}不给报名", "学区划分问题", "孩子上学难"},
		facts: [][]string{
			{"我家住在{E}，孩子今年该上小学了", "孩子今年{K}岁，户口在{E}", "我们是{E}的住户，孩子今年入学"},
			{"按学区划分应该上{S}，但学校说不在学区", "因为没有房产证，{S}不给报名", "{S}说学位满了，让去很远的学校"},
			{"孩子户口就在这个房子里", "我们在这住了七八年了"},
		},
		demands:   []string{"请求教育局协调让孩子就近入学", "希望能让孩子在{S}上学"},
		hotlineTo: "教育"},
	{key: "medical", titles: []string{"医保报销问题", "住院费用报销难", "{H}住院医保不给报", "医保待遇问题"},
		facts: [][]string{
			{"我{W}在{H}住院治疗", "{Y}年我{W}因病在{H}住院", "我{W}去年在{H}做了手术"},
			{"花了医疗费{M}元，医保报销比例很低", "办了异地就医备案后报销被拒", "报销时说有些药不在目录里"},
			{"医保中心让我们自己找医院", "来回跑了好几趟都没办成"},
		},
		demands:   []string{"请求医保部门按政策给予报销", "希望给个合理说法"},
		hotlineTo: "医保"},
}

var trad = "們们個个來来時时這这為为對对說说發发會会經经過过還还沒没樣样裡里後后間间問问題题開开關关電电話话號号樓楼單单區区門门東东車车長长見见現现實实當当從从無无給给處处縣县鎮镇鄉乡園园華华龍龙灣湾興兴島岛蘆芦連连陽阳進进遠远辦办證证產产權权熱热氣气溫温費费錢钱萬万資资業业農农項项戶户請请讓让該该調调檢检環环淨净聲声擾扰醫医療疗藥药報报銷销險险養养職职齡龄斷断繳缴補补償偿徵征畝亩遷迁續续復复親亲學学點点壞坏燈灯維维護护務务標标準准導导領领體体態态應应麼么聯联網网廠厂場场價价結结歷历圍围壓压層层幫帮數数況况滿满燒烧盡尽確确種种稅税範范組组終终總总聽听舊旧裝装規规計计記记訪访設设訴诉詢询語语論论謝谢識识議议負负財财責责買买費费賠赔賣卖購购趕赶輛辆邊边週周適适選选鄰邻釋释銀银鋪铺錄录長长閉闭隊队際际隨随難难雲云靜静響响頂顶順顺須须預预頭头願愿類类顯显風风飯饭館馆馬马驗验鬧闹黨党與与並并亂乱僅仅傳传傷伤內内兩两凍冻則则剛刚劃划務务勞劳協协參参員员啟启團团圓圆塊块壯壮夢梦婦妇孫孙寶宝審审尋寻屬属歲岁帶带幹干強强憂忧懷怀掛挂換换損损搶抢擁拥敗败機机橋桥潔洁濕湿爐炉牆墙獨独畫画盜盗碼码積积穀谷筆笔簽签線线編编緩缓腳脚臉脸蓋盖衛卫見见覺觉觸触訊讯託托誰谁課课諾诺貧贫貼贴賴赖轉转辭辞遞递陳陈陸陆隻只雖虽雙双韓韩頁页頓顿頻频餘余驚惊麗丽劉刘楊杨吳吴趙赵鄧邓葉叶馮冯蘇苏盧卢蔣蒋賈贾閻阎譚谭鄒邹龔龚嶺岭溝沟營营灘滩兒儿紀纪攤摊曬晒墳坟腫肿癥症師师讀读級级極极嚴严寫写將将專专災灾爭争狀状獎奖畢毕監监禮礼節节簡简糧粮約约紅红納纳紛纷細细絕绝統统綜综緊紧練练縣县績绩罰罚義义習习聞闻臨临舉举藝艺製制視视訂订許许診诊試试詳详誠诚諒谅諮咨貨货質质貴贵貸贷賬账較较輕轻輸输運运遺遗郵邮針针鐘钟閒闲閱阅階阶隱隐雜杂離离顧顾飛飞鳥鸟麥麦齒齿優优億亿儀仪動动勢势匯汇厲厉喪丧崗岗幣币帳帐庫库廳厅張张彌弥徹彻憑凭拋抛掃扫採采搖摇攜携敵敌暈晕曆历樂乐檔档歡欢漢汉癒愈礙碍禍祸窩窝築筑籃篮紋纹綁绑緒绪縮缩繩绳罷罢肅肃脹胀膽胆艙舱薦荐蟲虫衝冲襲袭覽览訓训詐诈謀谋謊谎讚赞貝贝賓宾躍跃軟软邏逻鄭郑醬酱鑰钥閃闪陣阵驅驱鬥斗黴霉鋼钢鐵铁礦矿廢废惡恶戰战擔担擇择擊击暫暂構构殘残決决湯汤滅灭濃浓競竞糾纠纖纤腦脑裏里變变觀观歸归圖图夠够廣广慶庆齊齐紙纸據据誤误錯错濟济綠绿黃黄藍蓝熱热統统繫系係系"

var toTrad = func() map[rune]rune {
	m := map[rune]rune{}
	r := []rune(trad)
	for i := 0; i+1 < len(r); i += 2 {
		if _, ok := m[r[i+1]]; !ok {
			m[r[i+1]] = r[i]
		}
	}
	return m
}()

func traditional(s string) string {
	var b strings.Builder
	for _, c := range s {
		if t, ok := toTrad[c]; ok {
			b.WriteRune(t)
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

var typos = [][2]string{{"已经", "以经"}, {"反映", "反应"}, {"暖气", "暖汽"}, {"拖欠", "托欠"}, {"补偿", "补尝"}, {"噪音", "燥音"}, {"至今", "至进"}, {"一直", "一值"}, {"维修", "维休"}, {"房产证", "房产正"}, {"工资", "工姿"}, {"办理", "半理"}, {"希望", "希往"}, {"问题", "问提"}, {"协调", "协条"}, {"安置", "按置"}, {"报销", "报消"}, {"物业", "务业"}, {"停水", "停谁"}, {"耕地", "更地"}}

func typo(s string) string {
	n := 0
	for _, i := range rng.Perm(len(typos)) {
		if strings.Contains(s, typos[i][0]) {
			s = strings.Replace(s, typos[i][0], typos[i][1], 1)
			n++
			if n >= 3 {
				break
			}
		}
	}
	return s
}

type matter struct {
	id    string
	th    *theme
	d     string
	dname string
	slots map[string]string
	p     person
	// related people
	count int
}

func fill(s string, m *matter) string {
	for k, v := range m.slots {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

func thirdPerson(s string) string {
	r := strings.NewReplacer("我家", "其家", "我们", "他们", "我的", "其", "我", "其", "咱们", "他们")
	return r.Replace(s)
}

// compose a petition body for matter m in a style.
func compose(m *matter, style string, later bool, writer person, relation string) (title, content string) {
	th := m.th
	facts := make([]string, 0, len(th.facts))
	order := rng.Perm(len(th.facts))
	keepFirst := rng.Intn(3) > 0
	if keepFirst { // the situation-setting fact usually comes first
		for i, o := range order {
			if o == 0 {
				order[0], order[i] = order[i], order[0]
			}
		}
	}
	nf := 2 + rng.Intn(len(th.facts)-1)
	if style == "hotline" && nf > 3 {
		nf = 3
	}
	for _, o := range order {
		if len(facts) >= nf && o != 0 {
			continue
		}
		facts = append(facts, fill(pick(th.facts[o]), m))
	}
	demand := fill(pick(th.demands), m)
	title = fill(pick(th.titles), m)
	again := ""
	if later {
		again = pick([]string{"这个问题我之前已经反映过，到现在仍然没有解决。", "再次反映：", "上个月就打过电话反映，至今没人处理。", "此事已多次反映，一直没有结果。", "问题还是老样子，没有任何进展。", ""})
		if rng.Intn(2) == 0 {
			title = pick([]string{"再次反映", "又一次反映", "仍未解决：", "催办："}) + title
		}
	}
	body := strings.Join(facts, "，") + "。"
	switch style {
	case "letter":
		open := pick([]string{"尊敬的领导：您好！", "尊敬的信访局领导：", "各位领导：", ""})
		intro := pick([]string{"我叫" + writer.name + "，家住" + writer.addr + "。", "我是" + m.dname + "居民" + writer.name + "，", "本人" + writer.name + "，"})
		if relation != "" {
			intro += "我替我" + relation + "反映一下家里的事，"
		}
		content = open + intro + again + body + demand + "。" + pick([]string{"此致敬礼！", "望领导重视！", "谢谢！", ""})
	case "visit":
		content = pick([]string{"来访人" + writer.name + "反映：", writer.name + "来访称，", "来访群众" + writer.name + "（住" + writer.addr + "）反映，"}) + again + body + "诉求：" + demand + "。"
		if relation != "" {
			content = strings.Replace(content, "反映", "代其"+relation+"反映", 1)
		}
	case "online":
		content = pick([]string{"", "我要投诉。", "您好，", "想咨询一下，"}) + again + body + demand + pick([]string{"。", "！", "，谢谢。"})
	case "mailbox":
		content = pick([]string{"市长您好！", "市长：", "尊敬的市长，"}) + again + body + demand + "，恳请市长过问。"
	case "hotline":
		b := thirdPerson(body)
		content = pick([]string{"市民来电反映：", "来电人反映，", "来电人称", "市民来电："}) + thirdPerson(again) + b + "诉求：" + thirdPerson(demand) + "。" + pick([]string{"请" + th.hotlineTo + "部门核实处理。", "请相关单位尽快处理并回复来电人。", ""})
		title = pick([]string{th.hotlineTo + "类：", "", "12345转办："}) + title
	}
	return title, content
}

var channels = []string{"letter", "visit", "online", "mailbox", "hotline"}

var out []rec
var seq int

func emit(m *matter, writer person, style string, when time.Time, later bool, relation string, variant string) {
	title, content := compose(m, style, later, writer, relation)
	when = time.Date(when.Year(), when.Month(), when.Day(), 8+rng.Intn(10), rng.Intn(60), 0, 0, cst)
	switch variant {
	case "trad":
		title, content = traditional(title), traditional(content)
	case "typo":
		content = typo(content)
	}
	seq++
	r := rec{ExternalID: fmt.Sprintf("HLD-L-%04d", seq), ReceivedAt: when.Format(time.RFC3339), Channel: style,
		Name: writer.name, IDNumber: writer.id, Phone: writer.phone, District: m.d, Address: writer.addr,
		Title: title, Content: content, Matter: m.id}
	if style == "hotline" {
		r.IDNumber = ""
		if rng.Intn(3) == 0 {
			r.Name = string([]rune(writer.name)[0]) + pick([]string{"先生", "女士"})
		}
	}
	if style == "online" && rng.Intn(2) == 0 {
		r.IDNumber = ""
	}
	if variant == "trad" {
		r.Address = traditional(r.Address)
	}
	out = append(out, r)
}

var cst = time.FixedZone("CST", 8*3600)

func newMatter(idx int, th *theme, d int, used map[string]bool) *matter {
	dc, dn := districts[d].code, districts[d].name
	m := &matter{id: fmt.Sprintf("M%03d-%s", idx, th.key), th: th, d: dc, dname: dn, slots: map[string]string{}}
	uniq := func(cands func() string) string {
		for i := 0; i < 50; i++ {
			v := cands()
			if !used[dc+v] {
				used[dc+v] = true
				return v
			}
		}
		return cands()
	}
	est := uniq(func() string { return pick(estates[dc]) })
	vz := villages[dc][rng.Intn(len(villages[dc]))]
	for i := 0; i < 30 && used[dc+vz[1]]; i++ {
		vz = villages[dc][rng.Intn(len(villages[dc]))]
	}
	if th.key == "land" || th.key == "pollution" {
		used[dc+vz[1]] = true
	}
	m.slots["E"] = est
	m.slots["Y"] = fmt.Sprint(2012 + rng.Intn(12))
	m.slots["N"] = fmt.Sprint(2 + rng.Intn(40))
	m.slots["K"] = fmt.Sprint(2 + rng.Intn(6))
	m.slots["T"] = fmt.Sprint(8 + rng.Intn(8))
	m.slots["D"] = dn
	m.slots["Z"] = vz[0]
	m.slots["V"] = vz[1]
	m.slots["R"] = pick(roads[dc])
	m.slots["W"] = pick([]string{"钢筋工", "木工", "瓦工", "力工", "电焊", "水暖"})
	m.slots["H"] = pick([]string{"市中心医院", "葫芦岛市第二人民医院", dn + "人民医院", "中医院", "北京某三甲医院"})
	addr := estateAddr(dn, est)
	switch th.key {
	case "heating":
		m.slots["X"] = company("heat")
		m.slots["M"] = fmt.Sprint(1800 + rng.Intn(30)*50)
	case "cert":
		m.slots["X"] = company("dev")
		m.slots["M"] = fmt.Sprint(20 + rng.Intn(60))
	case "wage":
		m.slots["C"] = uniq(func() string { return company("build") })
		m.slots["E"] = uniq(func() string { return pick(estates[dc]) + pick([]string{"二期", "三期", "商业综合体", ""}) })
		m.slots["M"] = fmt.Sprint(8000 + rng.Intn(90)*500)
		addr = pick([]string{vz[0] + vz[1], estateAddr(dn, pick(estates[dc]))})
		if rng.Intn(2) == 0 {
			addr = dn + vz[0] + vz[1] + fmt.Sprintf("%d组", 1+rng.Intn(8))
		}
	case "reloc":
		m.slots["E"] = uniq(func() string {
			return pick([]string{"东城", "西河", "北山", "老街", "站前", "化工", "铁路", "矿区", "河南街", "南关"}) + pick([]string{"片区", "棚户区"})
		})
		m.slots["X"] = company("dev")
		m.slots["M"] = fmt.Sprint(600 + rng.Intn(10)*100)
		addr = dn + pick(estates[dc]) + "租住" // temporary
	case "soe":
		m.slots["C"] = uniq(func() string { return company("soe") })
	case "noise":
		m.slots["S"] = uniq(func() string {
			return pick([]string{"老张", "东北", "金鼎", "好再来", "聚友", "鑫鑫", "红旗"}) + pick([]string{"烧烤店", "KTV", "洗车行", "建材市场", "夜市大排档", "饭店"})
		})
	case "pollution":
		m.slots["C"] = uniq(func() string { return company("factory") })
		addr = dn + vz[0] + vz[1]
	case "land":
		m.slots["E"] = pick([]string{"高速公路连接线", "物流园区", "工业园区", "光伏电站", "化工园区", "铁路专用线"})
		m.slots["M"] = fmt.Sprint(8000 + rng.Intn(40)*500)
		addr = dn + vz[0] + m.slots["V"]
	case "prop":
		m.slots["X"] = company("prop")
	case "road":
		m.slots["R"] = uniq(func() string { return pick(roads[dc]) })
	case "school":
		m.slots["S"] = pick([]string{dn + "实验小学", "第二实验小学", "东城小学", dn + "第一小学", "新华小学"})
	case "medical":
		m.slots["W"] = pick([]string{"母亲", "父亲", "爱人", "自己", "儿子"})
		m.slots["M"] = fmt.Sprint(30000 + rng.Intn(100)*1000)
	}
	m.p = newPerson(dc, addr)
	return m
}

func relative(p person) (person, string) {
	rel := pick([]string{"父亲", "母亲", "爱人", "儿子", "女儿"})
	q := newPerson(p.district, p.addr)
	if rel == "父亲" || rel == "儿子" || rel == "女儿" {
		q.name = string([]rune(p.name)[0]) + pick(given)
	}
	if rng.Intn(3) == 0 { // household shares a landline/mobile
		q.phone = p.phone
	}
	if rng.Intn(3) == 0 { // written slightly differently
		q.addr = strings.Replace(strings.Replace(q.addr, "号楼", "栋", 1), "葫芦岛市", "", 1)
	}
	return q, rel
}

func main() {
	used := map[string]bool{}
	idx := 0
	start := time.Date(2024, 1, 5, 9, 0, 0, 0, cst)
	var persons []person
	for round := 0; round < 9; round++ {
		for ti := range themes {
			th := &themes[ti]
			idx++
			// same theme, same district clusters produce hard negatives
			d := (ti + round/2) % len(districts)
			m := newMatter(idx, th, d, used)
			k := []int{1, 1, 2, 3, 3, 4, 4, 5, 6, 8}[rng.Intn(10)]
			if round == 0 && th.group {
				k = 6 + rng.Intn(3)
			}
			t := start.Add(time.Duration(rng.Intn(700*24)) * time.Hour)
			for j := 0; j < k; j++ {
				writer, rel := m.p, ""
				style := pick(channels)
				variant := ""
				switch r := rng.Intn(10); {
				case j == 0:
				case r < 3:
				case r < 5:
					writer, rel = relative(m.p)
				case r < 7 && th.group:
					a := m.p.addr
					if th.key == "wage" || th.key == "soe" {
						a = districts[d].name + pick(estates[m.d]) + fmt.Sprintf("%d号楼", 1+rng.Intn(20))
					} else if th.key == "heating" || th.key == "cert" || th.key == "prop" || th.key == "water" || th.key == "noise" || th.key == "school" {
						a = estateAddr(m.dname, m.slots["E"])
					}
					writer = newPerson(m.d, a)
				case r < 8:
					style = "hotline"
				}
				switch rng.Intn(8) {
				case 0:
					variant = "trad"
				case 1, 2:
					variant = "typo"
				}
				if j == 0 {
					variant = ""
				}
				emit(m, writer, style, t, j > 0, rel, variant)
				t = t.Add(time.Duration(24*(3+rng.Intn(90))) * time.Hour)
			}
			persons = append(persons, m.p)
			// same person, a genuinely different matter
			if rng.Intn(4) == 0 {
				idx++
				th2 := &themes[(ti+1+rng.Intn(len(themes)-1))%len(themes)]
				m2 := newMatter(idx, th2, d, used)
				m2.p = m.p
				if th2.key == "heating" || th2.key == "cert" || th2.key == "prop" || th2.key == "water" || th2.key == "noise" || th2.key == "school" {
					// the same home: use the estate of the person's address if it has one
					for _, e := range estates[m.d] {
						if strings.Contains(m.p.addr, e) {
							m2.slots["E"] = e
						}
					}
				}
				emit(m2, m2.p, pick(channels), t.Add(24*time.Hour*time.Duration(10+rng.Intn(200))), false, "", "")
			}
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for _, r := range out {
		enc.Encode(r)
	}
	fmt.Fprintln(os.Stderr, "petitions:", len(out), "matters:", idx)
}
