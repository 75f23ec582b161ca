package api

import (
	"net/http"

	"redress/internal/respond"
)

// answer writes v with status, or err's safe face if err is not nil.
func answer(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, status, v)
}

// decodeAs reads a JSON body of type T strictly; on failure it has already
// answered the client and returns false.
func decodeAs[T any](a *API, w http.ResponseWriter, r *http.Request) (T, bool) {
	var v T
	if err := a.decode(w, r, &v); err != nil {
		respond.Error(w, r, err)
		return v, false
	}
	return v, true
}
