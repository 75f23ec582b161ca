// Package respond writes HTTP responses and logs failures: every error goes
// out as its safe face ({code, message}) and in full to the log.
package respond

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"redress/internal/failure"
)

// JSON writes v as JSON with status.
func JSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		slog.Debug("write response", "path", r.URL.Path, "err", err)
	}
}

// Body is the JSON error body.
type Body struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Field   string            `json:"field,omitempty"`
	Params  map[string]string `json:"params,omitempty"`
}

// Error writes err's safe face and logs the full error.
func Error(w http.ResponseWriter, r *http.Request, err error) {
	fe := failure.Public(err)
	if fe.Status >= 500 {
		slog.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	} else {
		slog.Debug("request refused", "method", r.Method, "path", r.URL.Path, "code", fe.Code, "err", err)
	}
	JSON(w, r, fe.Status, Body{Code: fe.Code, Message: fe.Message, Field: fe.Field, Params: fe.Params})
}
