package portal

import (
	"encoding/json"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"redress/internal/web/i18n"
)

// The catalogues have the same keys: a key in one and not the other fails.
func TestCataloguesHaveTheSameKeys(t *testing.T) {
	keys := map[string][]string{}
	for _, loc := range i18n.Locales {
		b, err := localeFS.ReadFile("locales/" + loc + ".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", loc, err)
		}
		for k, v := range m {
			if v == "" {
				t.Errorf("%s: %s is empty", loc, k)
			}
			keys[loc] = append(keys[loc], k)
		}
		slices.Sort(keys[loc])
	}
	for _, loc := range i18n.Locales[1:] {
		for _, k := range keys[i18n.Default] {
			if _, ok := slices.BinarySearch(keys[loc], k); !ok {
				t.Errorf("%s lacks %s", loc, k)
			}
		}
		for _, k := range keys[loc] {
			if _, ok := slices.BinarySearch(keys[i18n.Default], k); !ok {
				t.Errorf("%s lacks %s", i18n.Default, k)
			}
		}
	}
	if _, err := loadCatalog(); err != nil {
		t.Fatal(err)
	}
}

// The loader refuses catalogues that differ, so the server does not start.
func TestCatalogueWithAMissingKeyIsRefused(t *testing.T) {
	fsys := fstest.MapFS{
		"zh-CN.json": {Data: []byte(`{"a": "甲", "b": "乙"}`)},
		"en.json":    {Data: []byte(`{"a": "A"}`)},
	}
	if _, err := i18n.LoadFS(fsys); err == nil {
		t.Fatal("catalogues with different keys loaded")
	}
}

// Every key the templates and handlers name is in the catalogues.
func TestEveryKeyUsedExists(t *testing.T) {
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	uses := []*regexp.Regexp{
		regexp.MustCompile(`\.T "([a-z][a-z_.-]*[a-z_])"`),             // templates: .T "key", $.T "key"
		regexp.MustCompile(`\bp\.t\(r, "([a-z][a-z_.-]*[a-z_])"`),      // handlers
		regexp.MustCompile(`p\.cat\.T\(\w+, "([a-z][a-z_.-]*[a-z_])"`), // handlers with a locale at hand
	}
	seen := 0
	for _, glob := range []string{"templates/*.html", "*.go"} {
		names, err := fs.Glob(os.DirFS("."), glob)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			if strings.HasSuffix(n, "_test.go") {
				continue
			}
			b, err := os.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			for _, re := range uses {
				for _, m := range re.FindAllStringSubmatch(string(b), -1) {
					seen++
					if !cat.Has(m[1]) {
						t.Errorf("%s uses %q, which no catalogue has", n, m[1])
					}
				}
			}
		}
	}
	if seen < 100 {
		t.Errorf("only %d uses of the catalogue found: is the pattern stale?", seen)
	}
}
