// Package api is the JSON API under /api/v1: bearer-token authentication,
// a role and scope check on every route, and errors as {code, message}.
package api

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"redress/internal/notices"
	"slices"
	"strconv"
	"strings"

	"redress/internal/failure"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/respond"
	"redress/internal/store"
)

// API holds the handlers' dependencies.
type API struct {
	svc     *lifecycle.Service
	st      *store.Store
	maxBody int64
	tokens  *tokenCache
	notices notices.Options
}

// New returns the API.
func New(svc *lifecycle.Service, maxBody int64) *API {
	if maxBody <= 0 {
		maxBody = 1 << 20
	}
	return &API{svc: svc, st: svc.Store(), maxBody: maxBody, tokens: newTokenCache(tokenCacheTTL), notices: notices.DefaultOptions()}
}

// WithNotices sets the issuer names printed on notices; a zero o keeps
// the defaults.
func (a *API) WithNotices(o notices.Options) *API {
	if o != (notices.Options{}) {
		a.notices = o
	}
	return a
}

// Route is one entry of the route table; the OpenAPI document is checked against it.
type Route struct {
	Method, Path string
	Roles        []org.Role // nil: any signed-in user; Public: no sign-in
	Public       bool
	// Op is the route's OpenAPI operation object (summary, parameters,
	// requestBody, responses). Core routes keep theirs in operations().
	Op      map[string]any
	handler func(*API, http.ResponseWriter, *http.Request, org.User)
}

// anyRole is every role.
var anyRole []org.Role = nil

var (
	bureauOnly = []org.Role{org.RoleBureau}
	adminOnly  = []org.Role{org.RoleAdmin}
)

// Routes is the API's route table: the core routes, then each feature's.
func Routes() []Route {
	var rs []Route
	for _, group := range [][]Route{
		coreRoutes(),
		statsRoutes(),
		noticeRoutes(),
		open311Routes(),
		escalationRoutes(),
		accountabilityRoutes(),
		commitmentRoutes(),
		matterRoutes(),
		templateRoutes(),
		problemRoutes(),
	} {
		rs = append(rs, group...)
	}
	return rs
}

func coreRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/openapi.json", Public: true, handler: (*API).openAPI},
		{Method: "GET", Path: "/api/v1/me", Roles: anyRole, handler: (*API).me},
		{Method: "POST", Path: "/api/v1/petitions", Roles: bureauOnly, handler: (*API).createPetition},
		{Method: "GET", Path: "/api/v1/petitions", Roles: anyRole, handler: (*API).listPetitions},
		{Method: "GET", Path: "/api/v1/petitions/{id}", Roles: anyRole, handler: (*API).getPetition},
		{Method: "POST", Path: "/api/v1/petitions/{id}/{action}", Roles: anyRole, handler: (*API).petitionAction},
		{Method: "GET", Path: "/api/v1/units", Roles: anyRole, handler: (*API).listUnits},
		{Method: "GET", Path: "/api/v1/time-limits", Roles: anyRole, handler: (*API).listTimeLimits},
		{Method: "PUT", Path: "/api/v1/time-limits/{kind}", Roles: adminOnly, handler: (*API).setTimeLimit},
		{Method: "GET", Path: "/api/v1/calendar/{year}", Roles: anyRole, handler: (*API).showCalendar},
		{Method: "PUT", Path: "/api/v1/calendar/{year}", Roles: adminOnly, handler: (*API).setCalendarYear},
	}
}

// Register adds the API's routes to mux.
func (a *API) Register(mux *http.ServeMux) {
	for _, rt := range Routes() {
		rt := rt
		mux.HandleFunc(rt.Method+" "+rt.Path, func(w http.ResponseWriter, r *http.Request) {
			var u org.User
			if !rt.Public {
				var err error
				u, err = a.authenticate(r)
				if err != nil {
					w.Header().Set("WWW-Authenticate", `Bearer realm="redress"`)
					respond.Error(w, r, err)
					return
				}
				if rt.Roles != nil && !slices.Contains(rt.Roles, u.Role) {
					respond.Error(w, r, failure.Forbidden("the %s role may not use %s %s", u.Role, rt.Method, rt.Path))
					return
				}
			}
			rt.handler(a, w, r, u)
		})
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		respond.Error(w, r, failure.NotFound("API route "+r.Method+" "+r.URL.Path))
	})
}

type userKey struct{}

// WithUser returns ctx carrying an authenticated user (used by the web UI's session layer).
func WithUser(ctx context.Context, u org.User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

func (a *API) authenticate(r *http.Request) (org.User, error) {
	if u, ok := r.Context().Value(userKey{}).(org.User); ok {
		return u, nil
	}
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(tok) == "" {
		return org.User{}, failure.New(failure.CodeUnauthenticated, http.StatusUnauthorized, "an API token is required: Authorization: Bearer <token>")
	}
	tok = strings.TrimSpace(tok)
	if u, ok := a.tokens.get(tok); ok {
		return u, nil
	}
	u, err := a.st.UserByToken(r.Context(), tok, a.svc.Now())
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return org.User{}, failure.New(failure.CodeUnauthenticated, http.StatusUnauthorized, "the API token is not valid or has expired")
		}
		return org.User{}, err
	}
	if u.Disabled {
		return org.User{}, failure.New(failure.CodeUnauthenticated, http.StatusUnauthorized, "the account is disabled")
	}
	a.tokens.put(tok, u)
	return u, nil
}

// decode reads a JSON body strictly: unknown fields and trailing data are errors.
func (a *API) decode(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return failure.New("unsupported_media_type", http.StatusUnsupportedMediaType, "the body must be application/json")
	}
	body := http.MaxBytesReader(w, r.Body, a.maxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &mbe):
			return failure.New(failure.CodePayloadTooLarge, http.StatusRequestEntityTooLarge, "the body is larger than %d bytes", a.maxBody)
		case errors.Is(err, io.EOF):
			return failure.Invalid("", "the body is empty; a JSON object is required")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return failure.Invalid("", "the body is not valid JSON: it ends too early")
		case errors.As(err, &se):
			return failure.Invalid("", "the body is not valid JSON (at byte %d)", se.Offset)
		case errors.As(err, &te):
			return failure.Invalid(te.Field, "field %s must be a %s", te.Field, te.Type)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return failure.Invalid(f, "unknown field %q", f)
		}
		return failure.Invalid("", "the body could not be read: %v", err)
	}
	if dec.More() {
		return failure.Invalid("", "the body has data after the JSON object")
	}
	return nil
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, failure.Invalid("id", "petition id %q is not a positive whole number", r.PathValue("id"))
	}
	return id, nil
}

func (a *API) me(w http.ResponseWriter, r *http.Request, u org.User) {
	respond.JSON(w, r, http.StatusOK, u)
}

func (a *API) listUnits(w http.ResponseWriter, r *http.Request, u org.User) {
	tree, err := a.st.Units(r.Context())
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	units := tree.Units()
	slices.SortFunc(units, func(a, b org.Unit) int { return cmp.Compare(a.ID, b.ID) })
	respond.JSON(w, r, http.StatusOK, map[string]any{"items": units})
}
