package open311

import (
	"slices"

	"redress/internal/org"
)

// Datatypes of a service attribute (GeoReport v2).
const (
	TypeString   = "string"
	TypeNumber   = "number"
	TypeDatetime = "datetime"
	TypeText     = "text"
	TypeSingle   = "singlevaluelist"
	TypeMulti    = "multivaluelist"
)

// Value is one choice of a list attribute.
type Value struct {
	Key  string `json:"key" xml:"key"`
	Name string `json:"name" xml:"name"`
}

// Attribute is one extra field a service asks for.
type Attribute struct {
	Code        string
	Datatype    string
	Required    bool
	Description string
	Values      []Value
	// Public: the value may appear in public reads (it describes the
	// problem, not the person). Everything else stays private.
	Public bool
}

// Service is one petition category offered through Open311.
type Service struct {
	Code        string
	Name        string
	Description string
	Keywords    string
	Group       string
	Attributes  []Attribute
}

// DistrictAttribute is the code of the attribute every service requires:
// the district (区县) the matter is in. Open311's location (lat/long or an
// address) does not tell us the district reliably without a geocoder, and
// every petition must carry one (it routes the case), so the client picks
// it from the list the service definition publishes.
const DistrictAttribute = "district"

// catalogue is the fixed list of categories; the district values come from
// the organisation, so the definitions are built per request.
var catalogue = []Service{
	{Code: "heating", Name: "供暖", Description: "供暖不热、停暖、收费等供暖问题", Keywords: "供暖,暖气,室温", Group: "民生",
		Attributes: []Attribute{
			{Code: "room_temp", Datatype: TypeNumber, Required: true, Description: "室温（摄氏度）", Public: true},
			{Code: "compound", Datatype: TypeString, Required: true, Description: "小区", Public: true},
			{Code: "heating_company", Datatype: TypeString, Description: "供暖单位", Public: true},
		}},
	{Code: "property", Name: "物业", Description: "物业服务、收费、维修等问题", Keywords: "物业,小区", Group: "民生",
		Attributes: []Attribute{
			{Code: "compound", Datatype: TypeString, Required: true, Description: "小区", Public: true},
			{Code: "company", Datatype: TypeString, Description: "物业公司", Public: true},
		}},
	{Code: "noise", Name: "噪音", Description: "施工、商铺、娱乐场所等噪音扰民", Keywords: "噪音,扰民", Group: "环境",
		Attributes: []Attribute{
			{Code: "source", Datatype: TypeSingle, Required: true, Description: "噪音来源", Public: true, Values: []Value{
				{"construction", "施工"}, {"shop", "商铺"}, {"entertainment", "娱乐场所"}, {"traffic", "交通"}, {"other", "其他"}}},
			{Code: "time_of_day", Datatype: TypeMulti, Description: "发生时段（可多选）", Public: true, Values: []Value{
				{"morning", "早晨"}, {"day", "白天"}, {"evening", "夜间"}, {"night", "深夜"}}},
		}},
	{Code: "wage-arrears", Name: "拖欠工资", Description: "拖欠农民工工资、劳动报酬", Keywords: "欠薪,工资,农民工", Group: "劳动保障",
		Attributes: []Attribute{
			{Code: "amount", Datatype: TypeNumber, Required: true, Description: "欠薪金额（元）"},
			{Code: "employer", Datatype: TypeString, Required: true, Description: "用工单位", Public: true},
			{Code: "workers", Datatype: TypeNumber, Description: "涉及人数"},
			{Code: "since", Datatype: TypeDatetime, Description: "欠薪开始时间"},
		}},
	{Code: "property-certificate", Name: "房产证", Description: "房屋产权证办理难", Keywords: "房产证,不动产登记,办证", Group: "住房",
		Attributes: []Attribute{
			{Code: "project", Datatype: TypeString, Required: true, Description: "楼盘名称", Public: true},
			{Code: "purchase_year", Datatype: TypeNumber, Description: "购房年份"},
		}},
	{Code: "pollution", Name: "环境污染", Description: "大气、水、固体废物等环境污染", Keywords: "污染,排放,异味", Group: "环境",
		Attributes: []Attribute{
			{Code: "kind", Datatype: TypeMulti, Required: true, Description: "污染类型（可多选）", Public: true, Values: []Value{
				{"air", "大气"}, {"water", "水"}, {"solid", "固体废物"}, {"soil", "土壤"}, {"odor", "异味"}}},
			{Code: "source", Datatype: TypeString, Description: "污染来源单位", Public: true},
		}},
	{Code: "roads", Name: "道路", Description: "道路破损、积水、照明、井盖等", Keywords: "道路,路灯,井盖", Group: "城市管理",
		Attributes: []Attribute{
			{Code: "issue", Datatype: TypeSingle, Required: true, Description: "问题类型", Public: true, Values: []Value{
				{"pothole", "坑洼破损"}, {"flooding", "积水"}, {"lighting", "路灯照明"}, {"manhole", "井盖"}, {"other", "其他"}}},
		}},
	{Code: "other", Name: "其他", Description: "其他诉求", Keywords: "其他", Group: "其他"},
}

// Services returns the catalogue with each service's district attribute
// filled from the organisation's districts (in code order).
func Services(tree *org.Tree) []Service {
	var districts []Value
	for _, u := range tree.Units() {
		if u.Kind == org.KindDistrict {
			districts = append(districts, Value{Key: u.Code, Name: u.Name})
		}
	}
	slices.SortFunc(districts, func(a, b Value) int {
		switch {
		case a.Key < b.Key:
			return -1
		case a.Key > b.Key:
			return 1
		}
		return 0
	})
	district := Attribute{Code: DistrictAttribute, Datatype: TypeSingle, Required: true, Description: "所在区县", Values: districts, Public: true}
	out := make([]Service, len(catalogue))
	for i, s := range catalogue {
		s.Attributes = append([]Attribute{district}, s.Attributes...)
		out[i] = s
	}
	return out
}

// Lookup finds a service by code.
func Lookup(services []Service, code string) (Service, bool) {
	for _, s := range services {
		if s.Code == code {
			return s, true
		}
	}
	return Service{}, false
}

func (s Service) attribute(code string) (Attribute, bool) {
	for _, a := range s.Attributes {
		if a.Code == code {
			return a, true
		}
	}
	return Attribute{}, false
}

func (a Attribute) valueName(key string) (string, bool) {
	for _, v := range a.Values {
		if v.Key == key {
			return v.Name, true
		}
	}
	return "", false
}
