package repeats

// synonymClasses is a general vocabulary of petition wording: each class
// lists words and phrases that say one thing in petitions, hotline tickets
// and colloquial messages, the first being the canonical form. Before
// content shingles are taken, every occurrence (longest match first) is
// rewritten to the canonical form, so that "拖欠工资" / "欠薪" / "不给开支",
// "房本" / "不动产权证", "渗水" / "漏雨" share shingles. The classes were
// written from the petition domain (the 12345 classification of common
// demands), not from any evaluation set; a word may belong to one class only.
var synonymClasses = [][]string{
	// heating
	{"暖气", "供暖", "供热", "采暖", "取暖", "暖气片", "暖器"},
	{"暖气不热", "暖气不达标", "供暖不达标", "室温不达标", "温度不达标", "室温低", "室温偏低", "温度低", "屋里冷", "屋里太冷", "家里冷", "冻得", "温乎乎", "半凉不热"},
	{"热力公司", "供热公司", "热电公司", "供热站", "换热站", "热力站", "供热单位"},
	{"取暖费", "供暖费", "采暖费", "热费", "暖气费"},
	// wages
	{"欠薪", "拖欠工资", "欠工资", "欠发工资", "拖欠工钱", "欠工钱", "欠钱不给", "讨薪", "讨要工资", "停发工资", "不发工资", "没发工资", "没开支", "不给开支", "欠我们工资", "拖欠劳务报酬", "拖欠劳务费", "拖欠薪资", "克扣工资"},
	{"工资", "工钱", "薪水", "薪资", "劳务费", "劳务报酬", "血汗钱", "辛苦钱"},
	{"包工头", "工头", "老板", "负责人", "施工负责人"},
	{"劳动监察", "劳动监察大队", "劳动保障监察", "人社局", "人社部门", "劳动部门"},
	// noise, smell, dust
	{"噪音", "噪声", "扰民", "吵闹", "喧哗", "太吵", "很吵", "吵得", "鬼哭狼嚎", "大声"},
	{"臭味", "异味", "臭气", "恶臭", "刺鼻", "气味", "熏得", "臭得"},
	{"粉尘", "扬尘", "灰尘", "灰大", "尘土"},
	// housing
	{"漏水", "渗水", "漏雨", "滴水", "返潮", "往下滴水", "洇水", "进水", "泡水"},
	{"房产证", "房本", "不动产权证", "不动产证", "产权证", "房照", "不动产登记", "办证"},
	{"逾期交房", "延期交房", "延期交付", "逾期交付", "逾期未交付", "没交房", "不交房", "烂尾", "保交楼", "停工"},
	{"回迁", "回迁安置", "安置房", "回迁房", "回迁楼", "安置楼"},
	{"棚改", "棚户区改造", "棚户区", "征收拆迁", "动迁"},
	{"物业", "物业公司", "物业服务", "物业管理"},
	{"物业费", "物业管理费", "物业服务费"},
	{"违建", "违章建筑", "违法建筑", "违法建设", "私搭乱建", "私建", "乱搭乱建", "违章搭建", "私自搭建"},
	{"电梯", "升降梯", "直梯"},
	{"电梯故障", "电梯停运", "电梯坏了", "电梯停了", "困人", "关在里面"},
	{"车位", "停车位", "地下车位", "车库"},
	{"墙体裂缝", "墙体开裂", "裂缝", "开裂", "裂了"},
	{"下水道", "下水管道", "下水", "排水管", "排水管网", "污水管", "地漏"},
	{"堵塞", "反水", "返水", "堵了", "冒水"},
	// utilities
	{"停水", "断水", "没水", "没来水", "不来水", "无水"},
	{"停电", "断电", "没电"},
	{"燃气", "天然气", "煤气"},
	{"燃气表", "智能燃气表", "智能表", "气表"},
	{"电压低", "电压不稳", "电压不足", "电压太低"},
	// roads, transport
	{"路面塌陷", "塌陷", "大坑", "坑洼", "坑坑洼洼", "路面破损", "破损"},
	{"路灯", "路灯不亮", "黑灯瞎火"},
	{"公交", "公交车", "班车", "客车", "客运班车", "客运线路"},
	{"出租车", "的士", "出租司机"},
	{"不打表", "拒绝打表", "一口价", "宰客", "绕路"},
	// land, village
	{"征地", "征用土地", "占地", "占用土地", "征收土地", "占了"},
	{"补偿款", "补偿费", "补偿", "租金", "土地租金"},
	{"承包地", "耕地", "责任田"},
	{"采砂", "采沙", "挖沙", "挖砂", "盗采河沙", "河沙", "挖沙子", "拉沙子", "非法采砂"},
	{"放炮", "爆破", "炸石头"},
	{"石料厂", "采石场", "碎石场", "石场"},
	// social
	{"低保", "最低生活保障"},
	{"养老金", "退休金", "退休工资", "养老待遇"},
	{"工龄", "工作年限", "缴费年限"},
	{"报销", "报销比例", "医保报销"},
	{"工伤", "工伤认定", "摔伤", "摔落"},
	{"入学", "上学", "报名", "学位", "就读"},
	// consumers, schools
	{"退费", "退款", "退钱", "退学费", "不退钱", "不给退", "拒绝退还", "无法退还", "退不了"},
	{"跑路", "人去楼空", "卷款", "关门", "闭店", "停课", "停业", "联系不上"},
	{"培训", "培训班", "培训学校", "培训机构", "补习班", "辅导班"},
	{"订金", "定金"},
	{"摊位费", "摊位", "摊费"},
	{"涨价", "上涨", "上调", "涨到", "乱涨价", "涨了"},
	{"保育费", "托费", "伙食费"},
	{"狗", "犬", "犬只", "大型犬", "大狗"},
	{"咬伤", "咬了", "咬人", "伤人"},
}

type synWord struct {
	w     []rune
	canon []rune
}

var synByFirst = func() map[rune][]synWord {
	m := map[rune][]synWord{}
	for _, cl := range synonymClasses {
		canon := normalize(cl[0])
		for _, w := range cl[1:] {
			r := normalize(w)
			m[r[0]] = append(m[r[0]], synWord{r, canon})
		}
	}
	return m
}()

// canonicalize rewrites synonym words of r to their class's canonical form,
// longest match first, left to right.
func canonicalize(r []rune) []rune {
	out := make([]rune, 0, len(r)+8)
	for i := 0; i < len(r); {
		best := -1
		for k, sw := range synByFirst[r[i]] {
			if hasSuffixAt(r, i, sw.w) && (best < 0 || len(sw.w) > len(synByFirst[r[i]][best].w)) {
				best = k
			}
		}
		if best < 0 {
			out = append(out, r[i])
			i++
			continue
		}
		sw := synByFirst[r[i]][best]
		out = append(out, sw.canon...)
		i += len(sw.w)
	}
	return out
}
