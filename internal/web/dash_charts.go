package web

import (
	"encoding/json"
	"fmt"
	"math"

	"redress/internal/stats"
)

// Chart colours, from app.css's palette.
const (
	dashRed   = "#b3261e"
	dashBlue  = "#1d5fa8"
	dashAmber = "#9a6700"
	dashGreen = "#1a7f37"
	dashGrey  = "#8a939c"
)

// dashPct is a rate in percent with one decimal, or nil (no bar) without cases.
func dashPct(r stats.Rate) any {
	if r.Value == nil {
		return nil
	}
	return math.Round(*r.Value*1000) / 10
}

type dashOpt = map[string]any

// dashBase is what every dashboard chart shares: a title, room for labels,
// a tooltip, a legend when there are several series, and ECharts' own
// accessible description of the data.
func dashBase(title string, legend bool) dashOpt {
	o := dashOpt{
		"title":   dashOpt{"text": title, "left": 0, "top": 0, "textStyle": dashOpt{"fontSize": 14}},
		"grid":    dashOpt{"left": 8, "right": 24, "top": 56, "bottom": 8, "containLabel": true},
		"tooltip": dashOpt{"trigger": "axis"},
		"aria":    dashOpt{"enabled": true},
		// Drawn at once: figures are read, not watched, and a screenshot or
		// a test sees the finished chart.
		"animation": false,
	}
	if legend {
		o["legend"] = dashOpt{"top": 28, "left": 0}
	} else {
		o["grid"].(dashOpt)["top"] = 36
	}
	return o
}

func dashBar(name, color string, data any) dashOpt {
	return dashOpt{"type": "bar", "name": name, "data": data, "itemStyle": dashOpt{"color": color}}
}

// dashPctAxis is a 0–100% value axis.
func dashPctAxis() dashOpt {
	return dashOpt{"type": "value", "min": 0, "max": 100, "axisLabel": dashOpt{"formatter": "{value}%"}}
}

func (w *Web) dashChartsOf(loc string, p *dashPage) (dashCharts, error) {
	t := func(key string, params ...any) string { return w.cat.T(loc, key, params...) }
	d := p.D
	var c dashCharts
	var err error

	// Received per day: a line over every day of the period.
	days, counts := make([]string, 0, len(d.Received)), make([]int, 0, len(d.Received))
	for _, x := range d.Received {
		days = append(days, x.Day.String()[5:])
		counts = append(counts, x.Count)
	}
	o := dashBase(t("dash.chart.received"), false)
	o["xAxis"] = dashOpt{"type": "category", "data": days, "boundaryGap": false}
	o["yAxis"] = dashOpt{"type": "value", "minInterval": 1}
	o["series"] = []any{dashOpt{"type": "line", "name": t("dash.received"), "data": counts, "showSymbol": len(counts) <= 31,
		"itemStyle": dashOpt{"color": dashBlue}, "areaStyle": dashOpt{"opacity": 0.12}}}
	if c.Received, err = dashJSON(o); err != nil {
		return c, err
	}

	// Open and overdue by unit: horizontal bars, the top unit at the top.
	names, open, late := []string{}, []int{}, []int{}
	for i := len(p.Load) - 1; i >= 0; i-- {
		names = append(names, p.Load[i].UnitName)
		open = append(open, p.Load[i].Open)
		late = append(late, p.Load[i].Overdue)
	}
	o = dashBase(t("dash.chart.load"), true)
	o["xAxis"] = dashOpt{"type": "value", "minInterval": 1}
	o["yAxis"] = dashOpt{"type": "category", "data": names}
	o["series"] = []any{dashBar(t("dash.open"), dashBlue, open), dashBar(t("dash.overdue"), dashRed, late)}
	if c.Load, err = dashJSON(o); err != nil {
		return c, err
	}

	// On-time and resolution rates by unit (horizontal bars: unit names
	// are long, the busiest unit at the top) and by district.
	rateChart := func(title string, names []string, onTime, resolution []any, horizontal bool) (string, error) {
		o := dashBase(title, true)
		cat := dashOpt{"type": "category", "data": names, "axisLabel": dashOpt{"interval": 0}}
		if horizontal {
			o["xAxis"], o["yAxis"] = dashPctAxis(), cat
		} else {
			o["xAxis"], o["yAxis"] = cat, dashPctAxis()
		}
		o["series"] = []any{dashBar(t("dash.on_time"), dashGreen, onTime), dashBar(t("dash.resolution"), dashBlue, resolution)}
		return dashJSON(o)
	}
	names, onTime, res := []string{}, []any{}, []any{}
	for i := len(p.Units) - 1; i >= 0; i-- {
		u := p.Units[i]
		names = append(names, u.UnitName)
		onTime, res = append(onTime, dashPct(u.OnTime)), append(res, dashPct(u.Resolution))
	}
	if c.UnitRates, err = rateChart(t("dash.chart.unit_rates"), names, onTime, res, true); err != nil {
		return c, err
	}
	names, onTime, res = []string{}, []any{}, []any{}
	for _, x := range d.Districts {
		names = append(names, x.Name)
		onTime, res = append(onTime, dashPct(x.OnTime)), append(res, dashPct(x.Resolution))
	}
	if c.DistrictRates, err = rateChart(t("dash.chart.district_rates"), names, onTime, res, false); err != nil {
		return c, err
	}

	// This month against last month: grouped bars per figure.
	names, last, this := []string{}, []int{}, []int{}
	for _, m := range p.Months {
		names = append(names, t(m.Key))
		last, this = append(last, m.Last), append(this, m.This)
	}
	o = dashBase(t("dash.chart.months"), true)
	o["xAxis"] = dashOpt{"type": "category", "data": names}
	o["yAxis"] = dashOpt{"type": "value", "minInterval": 1}
	o["series"] = []any{dashBar(t("dash.last_month"), dashGrey, last), dashBar(t("dash.this_month"), dashRed, this)}
	if c.Months, err = dashJSON(o); err != nil {
		return c, err
	}

	// Resolution rates (化解率) by district, one bar per category.
	names = []string{}
	series := make([][]any, len(dashCategories))
	for _, r := range p.ResDist {
		names = append(names, r.Name)
		for i, x := range r.Rates {
			series[i] = append(series[i], dashPct(x))
		}
	}
	o = dashBase(t("dash.chart.resolution"), true)
	o["xAxis"] = dashOpt{"type": "category", "data": names, "axisLabel": dashOpt{"interval": 0}}
	o["yAxis"] = dashPctAxis()
	colors := []string{dashAmber, dashRed, dashBlue}
	var ss []any
	for i, cat := range dashCategories {
		data := series[i]
		if data == nil {
			data = []any{}
		}
		ss = append(ss, dashBar(t("dash.cat."+cat), colors[i], data))
	}
	o["series"] = ss
	c.Resolution, err = dashJSON(o)
	return c, err
}

func dashJSON(o dashOpt) (string, error) {
	b, err := json.Marshal(o)
	if err != nil {
		return "", fmt.Errorf("chart option: %w", err)
	}
	return string(b), nil
}
