package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/intake"
	"redress/internal/lifecycle"
)

// MaxSheetRows caps the rows of one imported sheet.
const MaxSheetRows = 200000

// columns maps a header cell to a record field: the JSON names and the
// Chinese headers hotline and petition systems export.
var columns = map[string]string{}

func init() {
	for field, names := range map[string][]string{
		"external_id":          {"外部编号", "工单编号", "工单号", "编号", "受理编号"},
		"received_at":          {"收到时间", "来电时间", "受理时间", "登记时间", "来信来访时间"},
		"channel":              {"渠道", "来源", "信访形式"},
		"petitioner_name":      {"信访人", "姓名", "来电人", "诉求人"},
		"petitioner_id_number": {"身份证号", "身份证号码", "证件号码"},
		"phone":                {"电话", "联系电话", "手机", "手机号"},
		"district_code":        {"属地", "属地代码", "区县", "区县代码", "行政区划代码"},
		"address":              {"地址", "住址", "事发地址"},
		"title":                {"标题", "诉求标题", "事项标题"},
		"content":              {"内容", "诉求内容", "反映内容", "主要诉求"},
		"group_size":           {"人数", "集体访人数"},
		"accusation":           {"检举", "是否检举"},
		"accused_unit_code":    {"被检举单位代码", "被检举单位"},
	} {
		columns[field] = field
		for _, n := range names {
			columns[n] = field
		}
	}
}

// channelNames are the channel names a sheet may use.
var channelNames = map[string]string{"来信": "letter", "来访": "visit", "网上信访": "online", "网上": "online",
	"12345热线": "hotline", "热线": "hotline", "12345": "hotline", "领导信箱": "mailbox"}

var timeLayouts = []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006/1/2 15:04:05", "2006/1/2 15:04",
	"2006-01-02T15:04", "2006-01-02", "2006/1/2", "01-02-06 15:04"}

func parseTime(s string) (time.Time, error) {
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, calendar.Location); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("received_at %q is not a date and time (e.g. 2026-03-01 09:30)", s)
}

func checkXLSX(ctx context.Context, svc *lifecycle.Service, r io.Reader, progress Progress) (Checked, error) {
	book, err := excelize.OpenReader(r)
	if err != nil {
		return Checked{}, failure.Invalid("file", "the file is not an Excel workbook (.xlsx)")
	}
	defer book.Close()
	rows, err := book.Rows(book.GetSheetName(0))
	if err != nil {
		return Checked{}, failure.Invalid("file", "the workbook's first sheet cannot be read")
	}
	defer rows.Close()
	tree, err := svc.Store().Units(ctx)
	if err != nil {
		return Checked{}, err
	}
	districts := map[string]string{} // name → code
	for _, u := range tree.Units() {
		if u.Kind == "district" {
			districts[u.Name] = u.Code
		}
	}
	c := newChecker(ctx, svc)
	var header []string
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns()
		if err != nil {
			return c.res, fmt.Errorf("read sheet row %d: %w", n, err)
		}
		if header == nil {
			header = make([]string, len(cells))
			known := 0
			for i, h := range cells {
				if f, ok := columns[strings.TrimSpace(h)]; ok {
					header[i] = f
					known++
				}
			}
			if known < 3 {
				return c.res, failure.Invalid("header", "row 1 should name the columns (受理编号, 收到时间, 渠道, 信访人, 属地, 标题, 内容…); it names %d known ones", known)
			}
			continue
		}
		vals := map[string]string{}
		empty := true
		for i, v := range cells {
			if i < len(header) && header[i] != "" {
				if v = strings.TrimSpace(v); v != "" {
					vals[header[i]] = v
					empty = false
				}
			}
		}
		if empty {
			continue
		}
		if n > MaxSheetRows+1 {
			return c.res, failure.Invalid("rows", "the sheet has more than %d rows; split it", MaxSheetRows)
		}
		rec, err := recordOf(vals, districts)
		raw, _ := json.Marshal(vals)
		c.add(n, rec, err, raw, "")
		if progress != nil && c.res.Rows%200 == 0 {
			progress(c.res.Rows, 0)
		}
		if err := ctx.Err(); err != nil {
			return c.res, err
		}
	}
	if err := rows.Error(); err != nil {
		return c.res, fmt.Errorf("read sheet: %w", err)
	}
	if progress != nil {
		progress(c.res.Rows, c.res.Rows)
	}
	return c.res, nil
}

// recordOf turns a sheet row into a record.
func recordOf(v map[string]string, districts map[string]string) (intake.Record, error) {
	rec := intake.Record{ExternalID: v["external_id"], Channel: v["channel"], PetitionerName: v["petitioner_name"],
		PetitionerIDNumber: v["petitioner_id_number"], Phone: v["phone"], DistrictCode: v["district_code"], Address: v["address"],
		Title: v["title"], Content: v["content"], AccusedUnitCode: v["accused_unit_code"]}
	if c, ok := channelNames[rec.Channel]; ok {
		rec.Channel = c
	}
	if c, ok := districts[rec.DistrictCode]; ok {
		rec.DistrictCode = c
	}
	if s := v["received_at"]; s != "" {
		t, err := parseTime(s)
		if err != nil {
			return rec, err
		}
		rec.ReceivedAt = t
	}
	if s := v["group_size"]; s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return rec, fmt.Errorf("group_size %q is not a whole number", s)
		}
		rec.GroupSize = n
	}
	switch strings.ToLower(v["accusation"]) {
	case "", "否", "no", "false", "0":
	case "是", "yes", "true", "1":
		rec.Accusation = true
	default:
		return rec, fmt.Errorf("accusation %q is not 是 or 否", v["accusation"])
	}
	return rec, nil
}
