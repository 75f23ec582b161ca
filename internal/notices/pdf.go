package notices

import (
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/signintech/gopdf"
	"github.com/signintech/gopdf/fontmaker/core"
)

// font is WenQuanYi Micro Hei (文泉驿微米黑, Apache-2.0 or GPL-3+ with font
// exception; fonts/LICENSE), reproduced by scripts/vendor-font.sh. It covers
// GBK, so names and addresses print; each PDF embeds only the glyphs it uses.
//
//go:embed fonts/wqy-microhei.ttf
var font []byte

// fonts holds the parsed font, read once; each document copies what it
// changes (the glyph subset), so documents may be made concurrently.
var fonts = sync.OnceValues(func() (*gopdf.FontContainer, error) {
	fc := &gopdf.FontContainer{}
	if err := fc.AddTTFFontData("wqy", font); err != nil {
		return nil, fmt.Errorf("parse the embedded font: %w", err)
	}
	return fc, nil
})

// coverage maps each character the font has a glyph for; read once, never changed.
var coverage = sync.OnceValues(func() (map[int]uint, error) {
	var p core.TTFParser
	if err := p.ParseFontData(font); err != nil {
		return nil, fmt.Errorf("parse the embedded font: %w", err)
	}
	return p.Chars(), nil
})

// substitutes replace the characters whose glyph in the font is empty.
var substitutes = strings.NewReplacer("℃", "°C", "℉", "°F", "Ⅴ", "V", "Ⅹ", "X", "∼", "～", "‾", "￣", "Å", "Å",
	"ǎ", "a", "ǐ", "i", "ǒ", "o", "ǔ", "u", "ǘ", "ü", "ǚ", "ü", "ǜ", "ü", "ˊ", "", "ˋ", "",
	"\u200b", "", "\u200c", "", "\u200d", "", "\u200e", "", "\u200f", "", "\u202a", "", "\u202b", "", "\u202c", "", "\u202d", "", "\ufeff", "")

// printable returns s with the characters the font cannot draw replaced:
// by a look-alike where there is one, else by □ (a gap to fill in by hand).
func printable(s string) (string, error) {
	chars, err := coverage()
	if err != nil {
		return "", err
	}
	s = substitutes.Replace(s)
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if _, ok := chars[int(r)]; !ok {
			return '□'
		}
		return r
	}, s), nil
}

// Page geometry in millimetres: A4 with the type area of GB/T 9704-2012
// (156 × 225 mm, 22 lines of 28 characters in 三号, 16 pt).
const (
	pageW, pageH = 210.0, 297.0
	marginTop    = 37.0
	marginLeft   = 28.0
	marginRight  = 26.0
	marginBottom = 35.0
	textW        = pageW - marginLeft - marginRight
	bodyPt       = 16.0
	lineH        = 225.0 / 22
)

// noLineStart are characters that must not open a line (避头): they hang at the end of the previous one.
const noLineStart = "，。、；：？！）》」』”’…—%"

// PDF writes the notice as an A4 PDF.
func (n *Notice) PDF(w io.Writer) error {
	if err := n.pdf(w); err != nil {
		return fmt.Errorf("notice %s of petition %d as PDF: %w", n.Kind, n.PetitionID, err)
	}
	return nil
}

type doc struct {
	gp *gopdf.GoPdf
	y  float64
}

func (n *Notice) pdf(w io.Writer) error {
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitMM})
	gp.SetInfo(gopdf.PdfInfo{Title: n.Title + " " + n.Number, Subject: n.Title, Creator: "redress", Producer: "redress",
		CreationDate: n.Date.EndOfDay()})
	fc, err := fonts()
	if err != nil {
		return err
	}
	if err := gp.AddTTFFontFromFontContainer("wqy", fc); err != nil {
		return fmt.Errorf("load font: %w", err)
	}
	d := &doc{gp: gp}
	d.newPage()

	// Letterhead: the issuer in red, the document number, a red rule.
	gp.SetTextColor(0xcc, 0, 0)
	if err := d.centered(n.Issuer, 24, 6); err != nil {
		return err
	}
	gp.SetTextColor(0, 0, 0)
	if err := d.centered(n.Number, 14, 3); err != nil {
		return err
	}
	gp.SetStrokeColor(0xcc, 0, 0)
	gp.SetLineWidth(0.8)
	gp.Line(marginLeft, d.y, pageW-marginRight, d.y)
	d.y += 8

	if err := d.centered(n.Title, 22, 6); err != nil {
		return err
	}
	if err := d.paragraph(n.Addressee+"：", 0); err != nil {
		return err
	}
	for _, p := range n.Paragraphs {
		if err := d.paragraph(p, 2); err != nil {
			return err
		}
	}

	// Signature and seal area: keep them together on one page.
	if d.y+12+2*lineH > pageH-marginBottom {
		d.newPage()
	}
	d.y += 12
	if err := d.right(n.Issuer); err != nil {
		return err
	}
	if err := d.right(n.DateZH); err != nil {
		return err
	}
	// The seal goes over the issuer and date (骑年盖月): a dashed circle marks where.
	cx, cy, r := pageW-marginRight-28, d.y-lineH, 21.0
	gp.SetStrokeColor(0xcc, 0, 0)
	gp.SetLineWidth(0.3)
	gp.SetLineType("dashed")
	gp.Oval(cx-r, cy-r, cx+r, cy+r)
	gp.SetLineType("")
	d.y += lineH
	if n.Tracking == "" {
		// A document about no one petition (an inspection report) has no tracking code.
		return gp.Write(w)
	}
	var tracking string
	if err := d.setFont(10); err != nil {
		return err
	}
	gp.SetTextColor(0x55, 0x55, 0x55)
	gp.SetXY(marginLeft, d.y)
	tracking, err = printable("查询码：" + n.Tracking)
	if err != nil {
		return err
	}
	if err := d.cell(tracking); err != nil {
		return err
	}
	return gp.Write(w)
}

func (d *doc) newPage() {
	d.gp.AddPage()
	d.y = marginTop
}

func (d *doc) setFont(pt float64) error {
	return d.gp.SetFont("wqy", "", pt)
}

// centered writes one line centred across the page and moves down by after (mm) plus the line.
func (d *doc) centered(s string, pt, after float64) error {
	if err := d.setFont(pt); err != nil {
		return err
	}
	lines, err := d.wrap(s, textW, 0)
	if err != nil {
		return err
	}
	for _, l := range lines {
		wd, err := d.gp.MeasureTextWidth(l)
		if err != nil {
			return err
		}
		d.gp.SetXY((pageW-wd)/2, d.y)
		if err := d.cell(l); err != nil {
			return err
		}
		d.y += pt * 0.3528 * 1.3
	}
	d.y += after
	return nil
}

// right writes one line flush right, a little in from the margin.
func (d *doc) right(s string) error {
	if err := d.setFont(bodyPt); err != nil {
		return err
	}
	s, err := printable(s)
	if err != nil {
		return err
	}
	wd, err := d.gp.MeasureTextWidth(s)
	if err != nil {
		return err
	}
	d.gp.SetXY(pageW-marginRight-8-wd, d.y)
	if err := d.cell(s); err != nil {
		return err
	}
	d.y += lineH
	return nil
}

// paragraph writes body text, its first line indented by indent characters, breaking pages as needed.
func (d *doc) paragraph(s string, indent int) error {
	if err := d.setFont(bodyPt); err != nil {
		return err
	}
	em, err := d.gp.MeasureTextWidth("中")
	if err != nil {
		return err
	}
	lines, err := d.wrap(s, textW, float64(indent)*em)
	if err != nil {
		return err
	}
	for i, l := range lines {
		if d.y+lineH > pageH-marginBottom {
			d.newPage()
		}
		x := marginLeft
		if i == 0 {
			x += float64(indent) * em
		}
		d.gp.SetXY(x, d.y)
		if err := d.cell(l); err != nil {
			return err
		}
		d.y += lineH
	}
	return nil
}

// cell writes s at the current position; an empty line writes nothing.
func (d *doc) cell(s string) error {
	if s == "" {
		return nil
	}
	return d.gp.Cell(nil, s)
}

// wrap breaks s into lines no wider than width (the first narrower by
// first), at any character, never opening a line with closing punctuation.
func (d *doc) wrap(s string, width, first float64) ([]string, error) {
	s, err := printable(s)
	if err != nil {
		return nil, err
	}
	var lines []string
	var cur []rune
	curW, limit := 0.0, width-first
	for _, r := range s {
		if r == '\n' {
			lines = append(lines, string(cur))
			cur, curW, limit = nil, 0, width
			continue
		}
		rw, err := d.gp.MeasureTextWidth(string(r))
		if err != nil {
			return nil, err
		}
		if curW+rw > limit && len(cur) > 0 && !strings.ContainsRune(noLineStart, r) {
			lines = append(lines, string(cur))
			cur, curW, limit = nil, 0, width
		}
		cur = append(cur, r)
		curW += rw
	}
	if len(cur) > 0 || len(lines) == 0 {
		lines = append(lines, string(cur))
	}
	return lines, nil
}
