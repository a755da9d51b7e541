package assistant_test

import (
	"io/fs"
	"testing"

	"helpline/internal/kb"
	"helpline/knowledge"
)

func testKnowledge(t *testing.T) fs.FS {
	t.Helper()
	return knowledge.FS()
}

var testFacts = kb.DefaultFacts()
