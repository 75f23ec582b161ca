// Package i18n holds the web UI's message catalogues (zh-CN first, en) and
// turns failure codes into sentences in the reader's language.
package i18n

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"

	"redress/internal/failure"
)

// Locales the UI speaks; the first is the default.
var Locales = []string{"zh-CN", "en"}

// Default is the language of a user who has not chosen one.
const Default = "zh-CN"

//go:embed *.json
var files embed.FS

// Catalog is every message in every locale. It is read once and never changed.
type Catalog struct {
	msgs map[string]map[string]string // locale → key → text
}

// Load reads the embedded catalogues and checks that every locale has the
// same keys, so a missing translation fails at start-up, not in front of a user.
func Load() (*Catalog, error) { return LoadFS(files) }

// LoadFS reads the catalogues LOC.json and LOC.*.json at the top of fsys
// (another surface's, such as the petitioners' portal) with the same checks.
func LoadFS(fsys fs.FS) (*Catalog, error) {
	c := &Catalog{msgs: map[string]map[string]string{}}
	for _, loc := range Locales {
		m, err := loadLocale(fsys, loc)
		if err != nil {
			return nil, err
		}
		c.msgs[loc] = m
	}
	var problems []string
	base := c.msgs[Default]
	for _, loc := range Locales[1:] {
		for k := range base {
			if _, ok := c.msgs[loc][k]; !ok {
				problems = append(problems, loc+" lacks "+k)
			}
		}
		for k := range c.msgs[loc] {
			if _, ok := base[k]; !ok {
				problems = append(problems, Default+" lacks "+k)
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, errors.New("message catalogues differ: " + strings.Join(problems, "; "))
	}
	return c, nil
}

// loadLocale reads a locale's catalogue: LOC.json holds the shared messages
// and each LOC.FEATURE.json one feature's; a key defined twice is an error.
func loadLocale(fsys fs.FS, loc string) (map[string]string, error) {
	names, err := fs.Glob(fsys, loc+".*.json")
	if err != nil {
		return nil, fmt.Errorf("catalogue %s: %w", loc, err)
	}
	m := map[string]string{}
	for _, name := range append([]string{loc + ".json"}, names...) {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", name, err)
		}
		part := map[string]string{}
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", name, err)
		}
		for k, v := range part {
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("catalogue %s: key %q is defined twice", name, k)
			}
			m[k] = v
		}
	}
	return m, nil
}

// Supported returns loc if the UI speaks it, else the default.
func Supported(loc string) string {
	for _, l := range Locales {
		if strings.EqualFold(l, loc) {
			return l
		}
	}
	if strings.HasPrefix(strings.ToLower(loc), "en") {
		return "en"
	}
	return Default
}

// Has reports whether key exists.
func (c *Catalog) Has(key string) bool {
	_, ok := c.msgs[Default][key]
	return ok
}

// Keys lists every key, sorted.
func (c *Catalog) Keys() []string {
	out := make([]string, 0, len(c.msgs[Default]))
	for k := range c.msgs[Default] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// T returns the message key in locale loc with {name} placeholders filled
// from params (name, value, name, value …). A missing key is shown as
// ⟦key⟧ so that tests and reviewers notice it.
func (c *Catalog) T(loc, key string, params ...any) string {
	m, ok := c.msgs[Supported(loc)]
	if !ok {
		m = c.msgs[Default]
	}
	s, ok := m[key]
	if !ok {
		return "⟦" + key + "⟧"
	}
	if len(params) == 0 || !strings.Contains(s, "{") {
		return s
	}
	pairs := make([]string, 0, len(params))
	for i := 0; i+1 < len(params); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(params[i])+"}", fmt.Sprint(params[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// Maybe returns the message for key if it exists, else fallback.
func (c *Catalog) Maybe(loc, key, fallback string) string {
	if !c.Has(key) {
		return fallback
	}
	return c.T(loc, key)
}

// Error returns the sentence a user reads for err: by its code, the field at
// fault and its parameters. Errors without a client-safe face read as the
// generic internal error.
func (c *Catalog) Error(loc string, err error) string {
	fe := failure.Public(err)
	var params []any
	keys := make([]string, 0, len(fe.Params))
	for k := range fe.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := fe.Params[k]
		switch k {
		case "state":
			v = c.Maybe(loc, "state."+v, v)
		case "action":
			v = c.Maybe(loc, "action."+v, v)
		case "role":
			v = c.Maybe(loc, "role."+v, v)
		case "kind":
			v = c.Maybe(loc, "deadline."+v, v)
		case "allowed":
			var names []string
			for _, a := range strings.Split(v, ", ") {
				if strings.HasPrefix(a, "none") {
					a = "none"
				}
				names = append(names, c.Maybe(loc, "action."+a, a))
			}
			v = strings.Join(names, c.T(loc, "list.sep"))
		}
		params = append(params, k, v)
	}
	if fe.Field != "" {
		params = append(params, "field", c.Maybe(loc, "field."+fe.Field, fe.Field))
		if key := "err." + fe.Code + "." + fe.Field; c.Has(key) {
			return c.filled(loc, key, params)
		}
	}
	if key := "err." + fe.Code; c.Has(key) {
		return c.filled(loc, key, params)
	}
	return c.T(loc, "err.internal")
}

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// filled is message key with params; when the error did not carry every
// parameter the message names, it is key.plain, the message without them
// (or, lacking that, the message with the gaps removed), so a reader
// never sees a raw {placeholder}.
func (c *Catalog) filled(loc, key string, params []any) string {
	s := c.T(loc, key, params...)
	if !placeholder.MatchString(s) {
		return s
	}
	if c.Has(key + ".plain") {
		return c.T(loc, key+".plain", params...)
	}
	return placeholder.ReplaceAllString(s, "…")
}
