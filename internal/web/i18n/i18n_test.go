package i18n_test

import (
	"net/http"
	"strings"
	"testing"

	"redress/internal/failure"
	"redress/internal/web/i18n"
)

// TestErrorWithoutItsParameters: an error whose message names parameters
// the error does not carry reads as the plain message, never with a raw
// {placeholder}; with its parameters it reads in full.
func TestErrorWithoutItsParameters(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	bare := failure.New(failure.CodeIllegalState, http.StatusConflict, "the item is already done")
	for _, loc := range i18n.Locales {
		if msg := c.Error(loc, bare); strings.Contains(msg, "{") || msg != c.T(loc, "err.illegal_transition.plain") {
			t.Errorf("%s: %q", loc, msg)
		}
	}
	full := failure.New(failure.CodeIllegalState, http.StatusConflict, "no").With(map[string]string{"state": "handling", "action": "accept", "allowed": "reply"})
	if msg := c.Error("zh-CN", full); !strings.Contains(msg, "办理中") || strings.Contains(msg, "{") {
		t.Errorf("with parameters: %q", msg)
	}
}
