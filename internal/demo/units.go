package demo

import (
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
)

// Unit is one node of the demo organisation tree.
//
// Kind is "city", "district", "department" or "township". The city and the
// districts and counties use GB/T 2260 codes; departments use the code of
// their region and a short suffix ("211400-zjj" is the city 住建局,
// "211481-zjj" the one of 兴城市); townships and street offices use their
// district's code and a suffix ("211481-gcjd" is 古城街道).
type Unit struct {
	Code       string
	Name       string
	ParentCode string
	Kind       string
	HeadName   string
	HeadTitle  string
}

// Unit kinds.
const (
	KindCity       = "city"
	KindDistrict   = "district"
	KindDepartment = "department"
	KindTownship   = "township"
)

// dept describes a department that exists at city level and, if
// inDistricts, in every district and county too.
type dept struct {
	suffix      string
	city        string // full name at city level
	district    string // name pattern in a district, %s = district name; "" = city only
	branch      bool   // in the three urban districts a city branch (分局) rather than a district bureau
	title       string
	inDistricts bool
}

var depts = []dept{
	{suffix: "xfj", city: "葫芦岛市信访局", district: "%s信访局", title: "局长", inDistricts: true},
	{suffix: "zjj", city: "葫芦岛市住房和城乡建设局", district: "%s住房和城乡建设局", title: "局长", inDistricts: true},
	{suffix: "rsj", city: "葫芦岛市人力资源和社会保障局", district: "%s人力资源和社会保障局", title: "局长", inDistricts: true},
	{suffix: "zrzyj", city: "葫芦岛市自然资源局", district: "%s自然资源局", branch: true, title: "局长", inDistricts: true},
	{suffix: "cgj", city: "葫芦岛市城市管理综合行政执法局", district: "%s城市管理综合行政执法局", title: "局长", inDistricts: true},
	{suffix: "scjgj", city: "葫芦岛市市场监督管理局", district: "%s市场监督管理局", title: "局长", inDistricts: true},
	{suffix: "jyj", city: "葫芦岛市教育局", district: "%s教育局", title: "局长", inDistricts: true},
	{suffix: "sthj", city: "葫芦岛市生态环境局", district: "葫芦岛市生态环境局%s分局", title: "局长", inDistricts: true}, // %s = short name
	{suffix: "mzj", city: "葫芦岛市民政局", district: "%s民政局", title: "局长", inDistricts: true},
	{suffix: "nyncj", city: "葫芦岛市农业农村局", district: "%s农业农村局", title: "局长", inDistricts: true},
	{suffix: "ybj", city: "葫芦岛市医疗保障局", title: "局长"},
	{suffix: "gaj", city: "葫芦岛市公安局", title: "局长"},
	{suffix: "jtj", city: "葫芦岛市交通运输局", title: "局长"},
	{suffix: "tyjrj", city: "葫芦岛市退役军人事务局", title: "局长"},
	{suffix: "gzw", city: "葫芦岛市人民政府国有资产监督管理委员会", title: "主任"},
	{suffix: "swj", city: "葫芦岛市水务局", title: "局长"},
	{suffix: "wjw", city: "葫芦岛市卫生健康委员会", title: "主任"},
	{suffix: "jw", city: "中共葫芦岛市纪律检查委员会、葫芦岛市监察委员会", title: "书记"},
	{suffix: "xcb", city: "中共葫芦岛市委巡察工作办公室", title: "主任"},
}

// DeptCode returns the code of a department of a region, e.g.
// DeptCode("211481", "zjj") = "211481-zjj".
func DeptCode(region, suffix string) string { return region + "-" + suffix }

// hasDept reports whether the department exists in a region.
func hasDept(region, suffix string) bool {
	for _, d := range depts {
		if d.suffix == suffix {
			return region == CityCode || d.inDistricts
		}
	}
	return false
}

var builtUnits = sync.OnceValue(buildUnits)

// Units returns the demo organisation tree: the city, its departments, the
// six districts and counties, their departments and a few townships and
// street offices of each. Parents come before children. The result is the
// same on every call; callers may modify the returned slice.
func Units() []Unit {
	return slices.Clone(builtUnits())
}

func buildUnits() []Unit {
	// A fixed generator so that heads keep their names from run to run.
	r := rand.New(rand.NewPCG(20210806, 211400))
	used := map[string]bool{}
	head := func(young bool) string {
		for {
			year := 1962 + r.IntN(14)
			if young {
				year = 1972 + r.IntN(16)
			}
			p := newPersonName(r, r.IntN(4) == 0, year)
			if !used[p] {
				used[p] = true
				return p
			}
		}
	}
	var out []Unit
	out = append(out, Unit{Code: CityCode, Name: "葫芦岛市", Kind: KindCity, HeadName: head(false), HeadTitle: "市长"})
	for _, d := range depts {
		out = append(out, Unit{Code: DeptCode(CityCode, d.suffix), Name: d.city, ParentCode: CityCode,
			Kind: KindDepartment, HeadName: head(false), HeadTitle: d.title})
	}
	for _, dis := range districts {
		out = append(out, Unit{Code: dis.code, Name: dis.name, ParentCode: CityCode, Kind: KindDistrict,
			HeadName: head(false), HeadTitle: dis.head})
		for _, d := range depts {
			if !d.inDistricts {
				continue
			}
			name := strings.Replace(d.district, "%s", dis.name, 1)
			switch {
			case d.suffix == "sthj":
				name = strings.Replace(d.district, "%s", dis.short, 1)
			case d.branch && dis.code < "211420": // the three urban districts
				name = d.city + dis.short + "分局"
			}
			out = append(out, Unit{Code: DeptCode(dis.code, d.suffix), Name: name, ParentCode: dis.code,
				Kind: KindDepartment, HeadName: head(false), HeadTitle: d.title})
		}
		for _, t := range dis.towns {
			out = append(out, Unit{Code: t.code, Name: dis.name + t.name, ParentCode: dis.code, Kind: KindTownship,
				HeadName: head(true), HeadTitle: t.headTitle()})
		}
	}
	return out
}

// unitByCode finds a unit of Units().
func unitByCode(code string) (Unit, bool) {
	for _, u := range builtUnits() {
		if u.Code == code {
			return u, true
		}
	}
	return Unit{}, false
}

// User is a demo account. Role is one of "bureau", "handler", "head",
// "leader", "inspector" and "admin".
type User struct {
	Login, Name, Role, UnitCode, Password string
}

// DemoPassword is the password of every demo user.
const DemoPassword = "redress-demo"

// Users returns the demo accounts. Heads carry the head name of their unit.
func Users() []User {
	r := rand.New(rand.NewPCG(12345, 211400))
	used := map[string]bool{}
	for _, u := range Units() {
		used[u.HeadName] = true
	}
	staff := func() string {
		for {
			p := newPersonName(r, r.IntN(2) == 0, 1975+r.IntN(22))
			if !used[p] {
				used[p] = true
				return p
			}
		}
	}
	headOf := func(code string) string {
		u, _ := unitByCode(code)
		return u.HeadName
	}
	var out []User
	add := func(login, role, unit, name string) {
		out = append(out, User{Login: login, Name: name, Role: role, UnitCode: unit, Password: DemoPassword})
	}
	xfj := DeptCode(CityCode, "xfj")
	add("admin", "admin", xfj, staff())
	add("bureau", "bureau", xfj, staff())
	add("bureau2", "bureau", xfj, staff())
	add("xfj-head", "head", xfj, headOf(xfj))
	for _, s := range []string{"zjj", "rsj", "cgj", "zrzyj", "sthj", "jyj"} {
		c := DeptCode(CityCode, s)
		add(s, "handler", c, staff())
		add(s+"-head", "head", c, headOf(c))
	}
	for _, x := range []struct{ district, suffix string }{
		{"211481", "zjj"}, {"211481", "cgj"}, {"211403", "cgj"}, {"211421", "rsj"},
		{"211421", "zrzyj"}, {"211402", "zjj"}, {"211404", "zjj"}, {"211422", "rsj"},
	} {
		d := districtByCode(x.district)
		c := DeptCode(x.district, x.suffix)
		login := d.login + "-" + x.suffix
		add(login, "handler", c, staff())
		add(login+"-head", "head", c, headOf(c))
	}
	for _, d := range districts {
		c := DeptCode(d.code, "xfj")
		add(d.login+"-xfj", "bureau", c, staff())
	}
	add("xc-gcjd", "handler", "211481-gcjd", staff())
	add("xc-gcjd-head", "head", "211481-gcjd", headOf("211481-gcjd"))
	add("jw", "handler", DeptCode(CityCode, "jw"), staff())
	add("leader", "leader", CityCode, staff())
	add("leader2", "leader", CityCode, staff())
	add("inspector", "inspector", DeptCode(CityCode, "xcb"), staff())
	return out
}
