package kb

import (
	"regexp"
	"strings"
)

// Facts are what the knowledge base says about the operator of the
// helpline. Entries never contain them literally; they name them with
// placeholders such as {{phone}} so one knowledge base serves any operator.
type Facts struct {
	HelplineName string `json:"helpline_name"`
	Phone        string `json:"phone"`
	Hours        string `json:"hours"`
	Website      string `json:"website"`
	Insurers     string `json:"insurers"`
}

// Placeholders lists the names an answer may use between {{ and }}.
var Placeholders = []string{"helpline_name", "phone", "hours", "website", "insurers"}

// DefaultFacts are used until the operator configures its own. The phone
// number is SAMHSA's free, 24/7 National Helpline, so that an unconfigured
// demo never sends a frightened visitor to a number nobody answers.
func DefaultFacts() Facts {
	return Facts{
		HelplineName: "the helpline",
		Phone:        "1-800-662-4357",
		Hours:        "24 hours a day, 7 days a week",
		Website:      "findtreatment.gov",
		Insurers:     "most major insurance plans and Medicaid",
	}
}

// Render replaces every placeholder in s with the operator's facts.
func (f Facts) Render(s string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return strings.NewReplacer(
		"{{helpline_name}}", f.HelplineName,
		"{{phone}}", f.Phone,
		"{{hours}}", f.Hours,
		"{{website}}", f.Website,
		"{{insurers}}", f.Insurers,
	).Replace(s)
}

var placeholderPattern = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

func placeholderNames(s string) []string {
	var out []string
	for _, m := range placeholderPattern.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

func knownPlaceholder(name string) bool {
	for _, p := range Placeholders {
		if p == name {
			return true
		}
	}
	return false
}
