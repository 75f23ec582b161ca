// Package failure gives errors two faces: the full text for the log, and a
// safe message, HTTP status and stable code for the client.
package failure

import (
	"errors"
	"fmt"
	"net/http"
)

// Stable error codes shared by every surface.
const (
	CodeInvalid          = "invalid"            // bad input
	CodeNotFound         = "not_found"          // no such thing, or not visible to the caller
	CodeConflict         = "conflict"           // a uniqueness or concurrency conflict
	CodeUnauthenticated  = "unauthenticated"    // no or bad credentials
	CodeForbidden        = "forbidden"          // authenticated, but the role or scope does not allow it
	CodeIllegalState     = "illegal_transition" // the lifecycle does not allow the action now
	CodePeriodExpired    = "period_expired"     // a statutory window has closed
	CodeMatterFinal      = "matter_final"       // the matter was closed after re-review (Art. 36)
	CodeInternal         = "internal"           // anything unexpected; details only in the log
	CodeUnavailable      = "unavailable"        // shutting down or overloaded
	CodeSchemaOutOfDate  = "schema_out_of_date" // the database needs `redress migrate`
	CodeRateLimited      = "rate_limited"       // too many requests
	CodePayloadTooLarge  = "payload_too_large"  // request body over the limit
	CodeMethodNotAllowed = "method_not_allowed" // wrong HTTP method
)

// Error is an error with a client-safe face.
type Error struct {
	Code    string            // stable machine code
	Status  int               // HTTP status
	Message string            // safe, human-readable (English); the UI translates by Code and Params
	Params  map[string]string // values named in Message, for translation
	Field   string            // the input field at fault, if any
	Err     error             // the cause, for the log only
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Invalid reports bad input in field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: CodeInvalid, Status: http.StatusBadRequest, Field: field, Message: fmt.Sprintf(format, args...)}
}

// New builds an error with a code, status and message.
func New(code string, status int, format string, args ...any) *Error {
	return &Error{Code: code, Status: status, Message: fmt.Sprintf(format, args...)}
}

// NotFound says a thing does not exist or is not visible.
func NotFound(what string) *Error {
	return &Error{Code: CodeNotFound, Status: http.StatusNotFound, Message: what + " not found"}
}

// Forbidden says the caller may not do this.
func Forbidden(format string, args ...any) *Error {
	return New(CodeForbidden, http.StatusForbidden, format, args...)
}

// With attaches translation parameters.
func (e *Error) With(params map[string]string) *Error {
	e.Params = params
	return e
}

// Public returns the client-safe face of err: err itself if it is (or wraps)
// an *Error, otherwise a generic internal error that reveals nothing.
func Public(err error) *Error {
	var fe *Error
	if errors.As(err, &fe) {
		return fe
	}
	return &Error{Code: CodeInternal, Status: http.StatusInternalServerError, Message: "internal error", Err: err}
}
