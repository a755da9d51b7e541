package conversation

import (
	"errors"
	"fmt"
	"time"
)

// Code says what kind of refusal an error is, so that whoever answers it
// (a visitor's widget, a representative's console) can say so in its own
// words and its own protocol, in one place each.
type Code string

// The codes. An error that is not an *Error (Redis unreachable, a script
// that failed) is Internal.
const (
	// NotFound: no such conversation, or canned reply: it never was, it
	// expired or was deleted, or a token does not open it.
	NotFound Code = "not_found"
	// Closed: the conversation has ended; it takes no more messages.
	Closed Code = "closed"
	// RateLimited: the conversation sent too many messages; it may send
	// again after Error.RetryAfter.
	RateLimited Code = "rate_limited"
	// Taken: another representative took the conversation first.
	Taken Code = "taken"
	// HeldByOther: another representative holds the conversation.
	HeldByOther Code = "held_by_other"
	// NotHeld: no representative holds the conversation.
	NotHeld Code = "not_held"
	// NotWaiting: the conversation is not waiting for a person.
	NotWaiting Code = "not_waiting"
	// Full: there are already as many as allowed (canned replies).
	Full Code = "full"
	// Invalid: a malformed id, or a request that says too little.
	Invalid Code = "invalid"
	// Internal: anything else; the detail is for the logs.
	Internal Code = "internal"
)

// Error is a refusal by the domain's rules, with a code for callers to
// act on and a message for the logs (never shown as it is: each caller
// has its own words for its users).
type Error struct {
	Code    Code
	Message string
	// RetryAfter is, with RateLimited, when the conversation may send
	// again.
	RetryAfter time.Duration
}

// Errorf returns an *Error with the code and a message formatted as
// fmt.Sprintf does.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("%s; retry after %s", e.Message, e.RetryAfter)
	}
	return e.Message
}

// ErrorCode returns the code of the first *Error in err's chain, Internal
// for an error with none, and "" for no error.
func ErrorCode(err error) Code {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return Internal
}

// RetryAfter returns the RetryAfter of the first *Error in err's chain, or
// zero.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}
