package answer

import (
	"encoding/json"
	"slices"
	"testing"
)

type evalCase struct {
	Q      string   `json:"q"`
	After  []string `json:"after"`
	Expect []string `json:"expect"`
	Kind   Kind     `json:"kind"`
}

func parseCase(t *testing.T, line int, s string) evalCase {
	t.Helper()
	var c evalCase
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		t.Fatalf("line %d: %v", line, err)
	}
	return c
}

func contains(ids []string, id string) bool { return slices.Contains(ids, id) }
