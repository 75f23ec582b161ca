// Package server wires every HTTP surface (JSON API, health, and the web
// pages as they are added) into one handler with the protections they share:
// security headers, cross-origin refusal of state-changing browser requests,
// panic recovery and request logging.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"redress/internal/api"
	"redress/internal/failure"
	"redress/internal/lifecycle"
	"redress/internal/notices"
	"redress/internal/open311"
	"redress/internal/portal"
	"redress/internal/respond"
	"redress/internal/web"
)

// Options configure the handler.
type Options struct {
	MaxBodyBytes int64
	// Extra registers further surfaces (web UI, Open311) on the same mux.
	Extra []func(mux *http.ServeMux)
	// Open311 configures the GeoReport v2 endpoint at /open311/v2/.
	Open311 open311.Options
	// Portal configures the petitioners' portal at /portal/ (attachments
	// go under Portal.DataDir).
	Portal portal.Options
	// Web configures the staff web UI (sessions, cookies) at / .
	Web web.Options
	// Notices names the issuers printed on official notices (default: Huludao's).
	Notices notices.Options
}

// Handler builds the whole HTTP surface.
func Handler(svc *lifecycle.Service, o Options) http.Handler {
	mux := http.NewServeMux()
	api.New(svc, o.MaxBodyBytes).WithNotices(o.Notices).Register(mux)
	open311.New(svc, o.Open311).Register(mux)
	portal.MustNew(svc, o.Portal).Register(mux)
	if o.Web.Notices == (notices.Options{}) {
		o.Web.Notices = o.Notices
	}
	web.MustNew(svc, o.Web).Register(mux)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := svc.Store().CheckSchema(ctx); err != nil {
			respond.Error(w, r, &failure.Error{Code: failure.CodeUnavailable, Status: http.StatusServiceUnavailable, Message: "database not ready", Err: err})
			return
		}
		respond.JSON(w, r, http.StatusOK, map[string]string{"status": "ok", "engine": string(svc.Store().Engine())})
	})
	for _, f := range o.Extra {
		f(mux)
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		respond.Error(w, r, failure.Forbidden("cross-origin request refused"))
	}))
	return logRequests(recoverPanics(securityHeaders(cop.Handler(mux))))
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

func recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				slog.Error("panic in handler", "method", r.Method, "path", r.URL.Path, "panic", v)
				respond.Error(w, r, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !slog.Default().Enabled(r.Context(), slog.LevelDebug) {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		slog.Debug("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "duration", time.Since(start))
	})
}

// Serve runs srv on ln until ctx ends, then shuts down gracefully.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
