// Package config is redress's configuration in one typed table: every
// option's default, validation, secret flag and REDRESS_* environment name.
// Flags override the environment, which overrides the defaults.
package config

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"redress/internal/store"
)

// Config is the effective configuration.
type Config struct {
	Addr          string
	DataDir       string
	DB            string
	Demo          bool
	LogLevel      slog.Level
	BaseURL       string
	SessionTTL    time.Duration
	DashboardAge  time.Duration
	MaxBodyBytes  int64
	ShutdownGrace time.Duration

	// Escalation and its notifications (internal/escalation).
	EscalationInterval time.Duration
	WebhookURLs        []string
	WebhookSecret      string
	SMTPAddr           string
	SMTPFrom           string
	SMTPUser           string
	SMTPPassword       string
	NotifyEmailTo      []string

	// The issuers printed on official notices (internal/notices).
	City      string
	Bureau    string
	DocAbbrev string
}

type option struct {
	name    string // flag name; the env name is REDRESS_ + upper snake
	def     string
	help    string
	secret  bool
	set     func(c *Config, v string) error
	get     func(c *Config) string
	sources map[*Config]string
}

func (o option) env() string {
	return "REDRESS_" + strings.ToUpper(strings.ReplaceAll(o.name, "-", "_"))
}

var options = []option{
	{name: "addr", def: "127.0.0.1:8080", help: "address the web server listens on",
		set: func(c *Config, v string) error {
			if _, _, err := net.SplitHostPort(v); err != nil {
				return fmt.Errorf("must be host:port, e.g. 127.0.0.1:8080")
			}
			c.Addr = v
			return nil
		}, get: func(c *Config) string { return c.Addr }},
	{name: "data-dir", def: "./data", help: "directory of the embedded SQLite database and uploaded files",
		set: func(c *Config, v string) error {
			if v == "" {
				return fmt.Errorf("must not be empty")
			}
			c.DataDir = v
			return nil
		}, get: func(c *Config) string { return c.DataDir }},
	{name: "db", def: "", help: "PostgreSQL URL (postgres://user:pass@host:5432/db); empty for the embedded SQLite database", secret: true,
		set: func(c *Config, v string) error {
			if v != "" && !store.IsPostgres(v) && !strings.HasPrefix(v, "sqlite:") {
				return fmt.Errorf("must start with postgres:// or postgresql:// (or be empty for the embedded database)")
			}
			c.DB = v
			return nil
		}, get: func(c *Config) string { return store.RedactDSN(c.DB) }},
	{name: "demo", def: "false", help: "load the Huludao demo data into a fresh embedded database and print the demo logins",
		set: func(c *Config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("must be true or false")
			}
			c.Demo = b
			return nil
		}, get: func(c *Config) string { return strconv.FormatBool(c.Demo) }},
	{name: "log-level", def: "info", help: "log level: debug, info, warn, error",
		set: func(c *Config, v string) error { return c.LogLevel.UnmarshalText([]byte(v)) },
		get: func(c *Config) string { return strings.ToLower(c.LogLevel.String()) }},
	{name: "base-url", def: "", help: "public URL of this server, for links in notices (default http://ADDR)",
		set: func(c *Config, v string) error {
			if v != "" && !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
				return fmt.Errorf("must start with http:// or https://")
			}
			c.BaseURL = strings.TrimSuffix(v, "/")
			return nil
		}, get: func(c *Config) string { return c.BaseURL }},
	{name: "city", def: "葫芦岛市", help: "the city's name, printed on notices before unit names that start with 市",
		set: func(c *Config, v string) error { return setText(&c.City, v, 2, 20) }, get: func(c *Config) string { return c.City }},
	{name: "bureau", def: "葫芦岛市信访局", help: "the petition bureau's full name, the issuer of acceptance and decline notices",
		set: func(c *Config, v string) error { return setText(&c.Bureau, v, 2, 40) }, get: func(c *Config) string { return c.Bureau }},
	{name: "doc-abbrev", def: "葫", help: "the city's one-character abbreviation that opens notice numbers (葫信告〔2026〕12号)",
		set: func(c *Config, v string) error { return setText(&c.DocAbbrev, v, 1, 1) }, get: func(c *Config) string { return c.DocAbbrev }},
	{name: "session-ttl", def: "8h", help: "how long a signed-in session lasts without activity",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < time.Minute || d > 30*24*time.Hour {
				return fmt.Errorf("must be a duration between 1m and 720h")
			}
			c.SessionTTL = d
			return nil
		}, get: func(c *Config) string { return c.SessionTTL.String() }},
	{name: "dashboard-cache", def: "1m", help: "how long the dashboard's figures for one scope and period are reused (0 computes them on every request)",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 || d > time.Hour {
				return fmt.Errorf("must be a duration between 0s and 1h")
			}
			c.DashboardAge = d
			return nil
		}, get: func(c *Config) string { return c.DashboardAge.String() }},
	{name: "max-body-bytes", def: "1048576", help: "largest request body accepted by the JSON API",
		set: func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1024 || n > 1<<30 {
				return fmt.Errorf("must be a whole number of bytes between 1024 and 1073741824")
			}
			c.MaxBodyBytes = n
			return nil
		}, get: func(c *Config) string { return strconv.FormatInt(c.MaxBodyBytes, 10) }},
	{name: "shutdown-grace", def: "10s", help: "how long to wait for requests in flight at shutdown",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 || d > 5*time.Minute {
				return fmt.Errorf("must be a duration between 0s and 5m")
			}
			c.ShutdownGrace = d
			return nil
		}, get: func(c *Config) string { return c.ShutdownGrace.String() }},
	{name: "escalation-interval", def: "1m", help: "how often the escalation ladder is swept (it is also swept at start)",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < time.Second || d > 24*time.Hour {
				return fmt.Errorf("must be a duration between 1s and 24h")
			}
			c.EscalationInterval = d
			return nil
		}, get: func(c *Config) string { return c.EscalationInterval.String() }},
	{name: "webhook-url", def: "", help: "comma-separated URLs told of every escalation step (JSON POST, signed with webhook-key)",
		set: func(c *Config, v string) error {
			c.WebhookURLs = nil
			for _, u := range splitList(v) {
				if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
					return fmt.Errorf("%q must start with http:// or https://", u)
				}
				c.WebhookURLs = append(c.WebhookURLs, u)
			}
			return nil
		}, get: func(c *Config) string { return strings.Join(c.WebhookURLs, ",") }},
	{name: "webhook-key", def: "", help: "key of the HMAC-SHA256 signature in the X-Redress-Signature header of webhooks", secret: true,
		set: func(c *Config, v string) error { c.WebhookSecret = v; return nil },
		get: func(c *Config) string { return redactSecret(c.WebhookSecret) }},
	{name: "smtp-addr", def: "", help: "SMTP server (host:port) for escalation email; empty: no email",
		set: func(c *Config, v string) error {
			if v != "" {
				if _, _, err := net.SplitHostPort(v); err != nil {
					return fmt.Errorf("must be host:port, e.g. smtp.example.gov.cn:587")
				}
			}
			c.SMTPAddr = v
			return nil
		}, get: func(c *Config) string { return c.SMTPAddr }},
	{name: "smtp-from", def: "redress@localhost", help: "sender address of escalation email",
		set: func(c *Config, v string) error { c.SMTPFrom = v; return nil }, get: func(c *Config) string { return c.SMTPFrom }},
	{name: "smtp-user", def: "", help: "SMTP user (PLAIN auth); empty: no auth",
		set: func(c *Config, v string) error { c.SMTPUser = v; return nil }, get: func(c *Config) string { return c.SMTPUser }},
	{name: "smtp-password", def: "", help: "SMTP password", secret: true,
		set: func(c *Config, v string) error { c.SMTPPassword = v; return nil },
		get: func(c *Config) string { return redactSecret(c.SMTPPassword) }},
	{name: "notify-email-to", def: "", help: "comma-separated addresses emailed every escalation step (needs smtp-addr)",
		set: func(c *Config, v string) error {
			c.NotifyEmailTo = nil
			for _, a := range splitList(v) {
				if !strings.Contains(a, "@") {
					return fmt.Errorf("%q is not an email address", a)
				}
				c.NotifyEmailTo = append(c.NotifyEmailTo, a)
			}
			return nil
		}, get: func(c *Config) string { return strings.Join(c.NotifyEmailTo, ",") }},
}

// Loader binds options to a command's flags and resolves them.
type Loader struct {
	fs     *flag.FlagSet
	names  map[string]bool
	source map[string]string
}

// Bind registers the named options (all when none are named) as flags on fs.
func Bind(fs *flag.FlagSet, names ...string) *Loader {
	l := &Loader{fs: fs, names: map[string]bool{}, source: map[string]string{}}
	for _, o := range options {
		if len(names) > 0 && !slices.Contains(names, o.name) {
			continue
		}
		l.names[o.name] = true
		usage := fmt.Sprintf("%s (env %s, default %q)", o.help, o.env(), o.def)
		if o.def == "true" || o.def == "false" {
			fs.Var(&boolValue{}, o.name, usage)
		} else {
			fs.String(o.name, "", usage)
		}
	}
	return l
}

// Load resolves the configuration after fs.Parse: defaults, then the
// environment, then flags. The error names the option and the source.
func (l *Loader) Load(getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	c := &Config{}
	set := map[string]string{}
	l.fs.Visit(func(f *flag.Flag) { set[f.Name] = f.Value.String() })
	for _, o := range options {
		v, src := o.def, "default"
		if e := getenv(o.env()); e != "" {
			v, src = e, "env "+o.env()
		}
		if fv, ok := set[o.name]; ok && l.names[o.name] {
			v, src = fv, "flag --"+o.name
		}
		if err := o.set(c, v); err != nil {
			return nil, fmt.Errorf("%s (%s = %q): %v", o.name, src, redact(o, v), err)
		}
		l.source[o.name] = src
	}
	return c, nil
}

func redact(o option, v string) string {
	if o.secret {
		return store.RedactDSN(v)
	}
	return v
}

// Print writes the effective configuration, with secrets hidden.
func (l *Loader) Print(w io.Writer, c *Config) {
	names := make([]string, 0, len(options))
	byName := map[string]option{}
	for _, o := range options {
		names = append(names, o.name)
		byName[o.name] = o
	}
	sort.Strings(names)
	for _, n := range names {
		o := byName[n]
		fmt.Fprintf(w, "%-16s %-40s (%s; %s)\n", n, o.get(c), l.source[n], o.env())
	}
}

// URL is the address people use to reach the server.
func (c *Config) URL() string {
	if c.BaseURL != "" {
		return c.BaseURL
	}
	return "http://" + c.Addr
}

// boolValue lets a boolean option be given as a bare --flag.
type boolValue struct{ s string }

func (b *boolValue) String() string     { return b.s }
func (b *boolValue) Set(v string) error { b.s = v; return nil }
func (b *boolValue) IsBoolFlag() bool   { return true }

// splitList splits a comma-separated option value, dropping empty items.
func splitList(v string) []string {
	var out []string
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// redactSecret shows only whether a secret is set.
func redactSecret(v string) string {
	if v == "" {
		return ""
	}
	return "***"
}

// setText sets *dst to v trimmed, which must have min–max characters.
func setText(dst *string, v string, min, max int) error {
	v = strings.TrimSpace(v)
	if n := utf8.RuneCountInString(v); n < min || n > max {
		if min == max {
			return fmt.Errorf("must be exactly %d character(s)", min)
		}
		return fmt.Errorf("must have %d–%d characters", min, max)
	}
	*dst = v
	return nil
}
