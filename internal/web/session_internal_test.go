package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"redress/internal/lifecycle"
	"redress/internal/storetest"
)

// TestSessionKeptWhenStoreUnread: a session cookie is cleared when its
// session is gone, not when the store could not be read for the request.
func TestSessionKeptWhenStoreUnread(t *testing.T) {
	st := storetest.Open(t)
	storetest.Seed(t, st)
	w, err := New(lifecycle.New(st, time.Now), Options{SessionTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	cleared := func(ctx context.Context) bool {
		r := httptest.NewRequest("GET", "/home", nil).WithContext(ctx)
		r.AddCookie(&http.Cookie{Name: cookieName, Value: "no-such-session"})
		rw := httptest.NewRecorder()
		if s, ok := w.currentSession(rw, r); ok || s != nil {
			t.Fatal("an unknown session was accepted")
		}
		return strings.Contains(rw.Header().Get("Set-Cookie"), cookieName+"=;")
	}
	if !cleared(context.Background()) {
		t.Error("the cookie of a session that is gone was kept")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if cleared(ctx) {
		t.Error("the cookie was cleared because the store could not be read")
	}
}
