package demo

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Surnames, weighted towards those common in Liaoning (incl. Manchu-origin
// 佟, 关, 那, 富, 鲍).
var surnames = []string{
	"王", "王", "王", "李", "李", "李", "张", "张", "张", "刘", "刘", "刘", "赵", "赵", "杨", "杨",
	"陈", "孙", "孙", "于", "于", "高", "马", "徐", "郭", "周", "吴", "朱", "胡", "林", "何",
	"宋", "韩", "唐", "冯", "董", "程", "曹", "袁", "许", "沈", "曾", "吕", "苏", "卢", "蒋",
	"贾", "丁", "魏", "薛", "阎", "潘", "杜", "姜", "范", "石", "姚", "谭", "邹", "金", "郝",
	"孔", "白", "崔", "康", "邱", "秦", "史", "顾", "侯", "孟", "段", "常", "武", "乔", "贺",
	"佟", "关", "那", "富", "鲍", "隋", "付", "田", "任", "庞", "尹", "葛", "牛", "栾", "毕",
}

var (
	// Given names by generation: 0 = born before 1960, 1 = 1960–1979,
	// 2 = 1980–1994, 3 = 1995 and later.
	givenMale = [4][]string{
		{"德福", "长顺", "福林", "振山", "凤岐", "玉海", "广才", "树林", "宝贵", "万良", "国栋", "景春", "殿臣", "文礼", "俊山", "永胜", "长海", "连生", "德明", "宝山"},
		{"建国", "国庆", "卫东", "志刚", "建军", "红军", "立新", "海涛", "文革", "永刚", "铁军", "春雷", "晓东", "忠诚", "庆华", "玉林", "德胜", "振华", "长江", "宏伟", "军", "刚", "勇", "强", "伟"},
		{"磊", "鹏", "亮", "超", "海峰", "东旭", "洪波", "春阳", "博", "宇", "俊杰", "晓光", "明", "健", "大伟", "立军", "冬冬", "金龙", "海洋", "阳"},
		{"浩然", "子轩", "宇航", "浩", "鑫", "帅", "天宇", "博文", "一鸣", "嘉豪", "俊熙", "泽宇", "子豪", "晨阳", "皓轩"},
	}
	givenFemale = [4][]string{
		{"桂兰", "淑芬", "玉珍", "凤英", "秀云", "淑珍", "桂芝", "玉兰", "秀英", "凤兰", "素梅", "秀珍", "桂荣", "翠花", "玉芳", "淑琴", "凤霞", "桂香"},
		{"丽华", "红梅", "艳华", "秀丽", "春梅", "海燕", "玉梅", "丽娟", "彩霞", "凤芝", "晓红", "艳", "静", "丽", "红", "立红", "淑华", "秀梅", "亚琴", "桂英"},
		{"婷婷", "丹", "娜", "雪", "晶晶", "丽丽", "冬梅", "春艳", "莹", "佳", "晓丽", "敏", "琳", "璐", "楠楠", "艳秋", "美玲"},
		{"欣怡", "佳琪", "子涵", "梓涵", "雨桐", "诗琪", "思雨", "可欣", "佳怡", "雪莹", "一诺", "梦瑶", "若曦"},
	}
)

func generation(year int) int {
	switch {
	case year < 1960:
		return 0
	case year < 1980:
		return 1
	case year < 1995:
		return 2
	default:
		return 3
	}
}

// newPersonName makes a plausible name for someone born in year.
func newPersonName(r *rand.Rand, female bool, year int) string {
	g := generation(year)
	given := givenMale[g]
	if female {
		given = givenFemale[g]
	}
	return surnames[r.IntN(len(surnames))] + given[r.IntN(len(given))]
}

// person is one petitioner.
type person struct {
	surname, given string
	female         bool
	birth          time.Time
	id             string
	phone          string
}

func (p person) name() string { return p.surname + p.given }

// honorific is how a hotline operator refers to the caller: 王女士, 李先生.
func (p person) honorific() string {
	if p.female {
		return p.surname + "女士"
	}
	return p.surname + "先生"
}

func (p person) age(at time.Time) int {
	a := at.Year() - p.birth.Year()
	if at.YearDay() < p.birth.YearDay() {
		a--
	}
	return a
}

func (p person) sex() string {
	if p.female {
		return "女"
	}
	return "男"
}

// newPerson makes a petitioner born between minYear and maxYear, registered
// in the area with the given six-digit code.
func newPerson(r *rand.Rand, area string, minYear, maxYear int) person {
	return newPersonOf(r, area, minYear, maxYear, r.IntN(100) < 46)
}

func newPersonOf(r *rand.Rand, area string, minYear, maxYear int, female bool) person {
	year := minYear + r.IntN(maxYear-minYear+1)
	g := generation(year)
	given := givenMale[g]
	if female {
		given = givenFemale[g]
	}
	p := person{
		surname: surnames[r.IntN(len(surnames))],
		given:   given[r.IntN(len(given))],
		female:  female,
		birth:   time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365)),
	}
	p.id = idNumber(r, area, p.birth, female)
	p.phone = mobile(r)
	return p
}

// relative makes a relative of p (child or spouse) who lives at the same
// address, and the word p is to them.
func relative(r *rand.Rand, p person, area string) (person, string) {
	var q person
	var rel string
	by := p.birth.Year()
	if by < 1972 && r.IntN(3) > 0 {
		// a son or daughter speaks for an elderly parent
		year := by + 22 + r.IntN(10)
		q.female = r.IntN(2) == 0
		q.surname = p.surname
		if p.female {
			rel = "母亲"
		} else {
			rel = "父亲"
		}
		q.birth = time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365))
	} else {
		q.female = !p.female
		q.surname = surnames[r.IntN(len(surnames))]
		if p.female {
			rel = "爱人"
		} else {
			rel = "丈夫"
			if r.IntN(2) == 0 {
				rel = "老伴"
			}
		}
		q.birth = p.birth.AddDate(r.IntN(7)-3, 0, r.IntN(300))
	}
	g := generation(q.birth.Year())
	given := givenMale[g]
	if q.female {
		given = givenFemale[g]
	}
	for {
		q.given = given[r.IntN(len(given))]
		if q.name() != p.name() {
			break
		}
	}
	q.id = idNumber(r, area, q.birth, q.female)
	q.phone = mobile(r)
	return q, rel
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// IDCheckDigit returns the GB 11643 check character for the first 17
// digits of a resident identity number.
func IDCheckDigit(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return "10X98765432"[sum%11]
}

// ValidIDNumber reports whether s is an 18-character resident identity
// number with a correct check character.
func ValidIDNumber(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s[17] == IDCheckDigit(s[:17])
}

// idNumber makes an identity number: area code, birth date, a sequence
// number whose last digit is odd for men and even for women, and the check
// character.
func idNumber(r *rand.Rand, area string, birth time.Time, female bool) string {
	seq := r.IntN(100)*10 + r.IntN(5)*2
	if !female {
		seq++
	}
	s := fmt.Sprintf("%s%s%03d", area, birth.Format("20060102"), seq)
	return s + string(IDCheckDigit(s))
}

var mobilePrefixes = []string{
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "155",
	"156", "157", "158", "159", "166", "176", "177", "180", "181", "182", "183", "186", "187", "188", "189", "199",
}

func mobile(r *rand.Rand) string {
	return fmt.Sprintf("%s%08d", mobilePrefixes[r.IntN(len(mobilePrefixes))], r.IntN(100000000))
}
