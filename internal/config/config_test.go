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
