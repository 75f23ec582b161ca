package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// TestLogError: a request the client gave up on is logged at debug, any
// other failure at error.
func TestLogError(t *testing.T) {
	var out strings.Builder
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(prev)

	logError("web request failed", fmt.Errorf("dashboard: %w", context.Canceled), "path", "/dashboard")
	logError("web request failed", errors.New("disk I/O error"), "path", "/home")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("logged %q", out.String())
	}
	if !strings.Contains(lines[0], "level=DEBUG") || !strings.Contains(lines[0], "path=/dashboard") {
		t.Errorf("a cancelled request is logged as %q", lines[0])
	}
	if !strings.Contains(lines[1], "level=ERROR") || !strings.Contains(lines[1], `err="disk I/O error"`) {
		t.Errorf("a failure is logged as %q", lines[1])
	}
}
