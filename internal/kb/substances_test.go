package kb

import (
	"strings"
	"testing"
)

func TestParseSubstances(t *testing.T) {
	s, ps := ParseSubstances("s.yaml", []byte("ours: [heroin, methadone]\nalcohol-help: [alcohol]\nnot-ours: [gambling]\n"))
	if len(ps) > 0 || len(s.Ours) != 2 || s.Others["alcohol-help"][0] != "alcohol" || s.NotOurs[0] != "gambling" {
		t.Fatalf("ParseSubstances = %+v, %v", s, ps)
	}
	for _, bad := range []struct{ yaml, want string }{
		{"alcohol-help: [alcohol]\n", `no "ours" list`},
		{"ours: [heroin]\nalcohol-help: [hard liquor]\n", "one word each"},
		{"ours: [heroin\n", "not valid YAML"},
	} {
		if _, ps := ParseSubstances("s.yaml", []byte(bad.yaml)); len(ps) == 0 || !strings.Contains(ps.Error(), bad.want) {
			t.Errorf("ParseSubstances(%q) problems %v, want %q", bad.yaml, ps, bad.want)
		}
	}
	b := New([]*Entry{{ID: "alcohol-help"}}, nil)
	b.Substances = Substances{Ours: []string{"heroin"}, Others: map[string][]string{"alcohol-help": {"alcohol"}, "gone": {"meth"}}}
	if ps := checkSubstances(b); len(ps) != 1 || !strings.Contains(ps[0].Msg, `"gone" does not exist`) {
		t.Errorf("checkSubstances = %v, want one problem naming the missing entry", ps)
	}
}
