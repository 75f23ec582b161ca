package config

import (
	"bytes"
	"flag"
	"strings"
	"testing"
)

func TestPrecedenceAndValidation(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	l := Bind(fs)
	if err := fs.Parse([]string{"--addr", "127.0.0.1:9999"}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"REDRESS_ADDR": "0.0.0.0:1", "REDRESS_DATA_DIR": "/tmp/x", "REDRESS_DB": "postgres://u:secret@h/db"}
	c, err := l.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9999" || c.DataDir != "/tmp/x" {
		t.Fatalf("flag should beat env, env should beat default: %+v", c)
	}
	var out bytes.Buffer
	l.Print(&out, c)
	if strings.Contains(out.String(), "secret") || !strings.Contains(out.String(), "u:***@h/db") {
		t.Fatalf("secret not hidden:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "flag --addr") || !strings.Contains(out.String(), "env REDRESS_DATA_DIR") {
		t.Fatalf("sources not shown:\n%s", out.String())
	}

	fs = flag.NewFlagSet("y", flag.ContinueOnError)
	l = Bind(fs)
	_ = fs.Parse([]string{"--addr", "nonsense"})
	if _, err := l.Load(func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "addr") {
		t.Fatalf("bad addr: %v", err)
	}
	fs = flag.NewFlagSet("z", flag.ContinueOnError)
	l = Bind(fs)
	_ = fs.Parse(nil)
	if _, err := l.Load(func(k string) string {
		if k == "REDRESS_DB" {
			return "mysql://x"
		}
		return ""
	}); err == nil || !strings.Contains(err.Error(), "REDRESS_DB") {
		t.Fatalf("bad db from env: %v", err)
	}
}

// TestNoticeIssuers: the names printed on notices default to Huludao's,
// come from the environment, and a document abbreviation of more than one
// character is refused with the option's name.
func TestNoticeIssuers(t *testing.T) {
	load := func(env map[string]string, args ...string) (*Config, error) {
		fs := flag.NewFlagSet("n", flag.ContinueOnError)
		l := Bind(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return l.Load(func(k string) string { return env[k] })
	}
	c, err := load(nil)
	if err != nil || c.City != "葫芦岛市" || c.Bureau != "葫芦岛市信访局" || c.DocAbbrev != "葫" {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	c, err = load(map[string]string{"REDRESS_CITY": "沈阳市", "REDRESS_BUREAU": "沈阳市信访局"}, "--doc-abbrev", "沈")
	if err != nil || c.City != "沈阳市" || c.Bureau != "沈阳市信访局" || c.DocAbbrev != "沈" {
		t.Fatalf("set: %+v %v", c, err)
	}
	if _, err := load(nil, "--doc-abbrev", "沈阳"); err == nil || !strings.Contains(err.Error(), "doc-abbrev") {
		t.Fatalf("two-character abbreviation: %v", err)
	}
	if _, err := load(nil, "--bureau", " "); err == nil || !strings.Contains(err.Error(), "bureau") {
		t.Fatalf("empty bureau: %v", err)
	}
}
