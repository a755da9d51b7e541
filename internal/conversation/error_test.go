package conversation

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestErrorCode(t *testing.T) {
	limited := &Error{Code: RateLimited, Message: "too many messages", RetryAfter: 3 * time.Second}
	for _, tt := range []struct {
		err   error
		code  Code
		retry time.Duration
	}{
		{nil, "", 0},
		{errors.New("dial tcp: connection refused"), Internal, 0},
		{Errorf(Taken, "someone else took %s first", "c1"), Taken, 0},
		{fmt.Errorf("claim c1: %w", Errorf(HeldByOther, "held")), HeldByOther, 0},
		{fmt.Errorf("store visitor message: %w", limited), RateLimited, 3 * time.Second},
	} {
		if got := ErrorCode(tt.err); got != tt.code {
			t.Errorf("ErrorCode(%v) = %q, want %q", tt.err, got, tt.code)
		}
		if got := RetryAfter(tt.err); got != tt.retry {
			t.Errorf("RetryAfter(%v) = %s, want %s", tt.err, got, tt.retry)
		}
	}
	if got, want := limited.Error(), "too many messages; retry after 3s"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
