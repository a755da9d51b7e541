package assistant_test

import (
	"io/fs"
	"testing"

	"helpline/knowledge"
)

func testKnowledge(t *testing.T) fs.FS {
	t.Helper()
	return knowledge.FS()
}
