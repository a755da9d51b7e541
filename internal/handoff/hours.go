package handoff

import (
	"fmt"
	"strings"
	"time"
)

// Schedule is when people answer the chat: weekly opening times in the
// operator's time zone.
type Schedule struct {
	loc   *time.Location
	spans map[time.Weekday][]span
}

type span struct{ from, to int } // minutes after midnight; to may pass midnight (> 1440)

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// ParseSchedule reads chat hours like "mon-fri 08:00-20:00, sat 10:00-14:00"
// in the time zone loc (nil is UTC). "always" (or empty) means always
// open; a span may pass midnight ("fri 20:00-02:00"), and 24:00 ends a day.
func ParseSchedule(s string, loc *time.Location) (*Schedule, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || s == "always" || s == "24/7" {
		return nil, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	sch := &Schedule{loc: loc, spans: map[time.Weekday][]span{}}
	for _, part := range strings.Split(s, ",") {
		fields := strings.Fields(part)
		if len(fields) != 2 {
			return nil, fmt.Errorf("%q: write days then times, like \"mon-fri 08:00-20:00\"", strings.TrimSpace(part))
		}
		days, err := parseDays(fields[0])
		if err != nil {
			return nil, err
		}
		from, to, ok := strings.Cut(fields[1], "-")
		if !ok {
			return nil, fmt.Errorf("%q: times are from-to, like 08:00-20:00", fields[1])
		}
		f, err := parseClock(from)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", fields[1], err)
		}
		t := 24 * 60 // "24:00": the end of the day, as people write it
		if to != "24:00" {
			if t, err = parseClock(to); err != nil {
				return nil, fmt.Errorf("%q: %w", fields[1], err)
			}
		}
		if f == t {
			return nil, fmt.Errorf("%q: the span is empty; for a whole day write 00:00-24:00", fields[1])
		}
		if t < f {
			t += 24 * 60
		}
		for _, d := range days {
			sch.spans[d] = append(sch.spans[d], span{f, t})
		}
	}
	return sch, nil
}

func parseDays(s string) ([]time.Weekday, error) {
	a, b, isRange := strings.Cut(s, "-")
	first, ok1 := weekdays[a]
	if !isRange {
		if !ok1 {
			return nil, fmt.Errorf("%q is not a day (mon, tue, ...)", s)
		}
		return []time.Weekday{first}, nil
	}
	last, ok2 := weekdays[b]
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("%q is not a range of days like mon-fri", s)
	}
	var out []time.Weekday
	for d := first; ; d = (d + 1) % 7 {
		out = append(out, d)
		if d == last {
			return out, nil
		}
	}
}

func parseClock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a time of day like 08:00 or 20:30", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Open reports whether the chat has people at t. A nil schedule is always
// open.
func (s *Schedule) Open(t time.Time) bool {
	if s == nil {
		return true
	}
	t = t.In(s.loc)
	min := t.Hour()*60 + t.Minute()
	for _, sp := range s.spans[t.Weekday()] {
		if min >= sp.from && min < sp.to {
			return true
		}
	}
	// A span from yesterday that passes midnight.
	for _, sp := range s.spans[(t.Weekday()+6)%7] {
		if sp.to > 24*60 && min < sp.to-24*60 {
			return true
		}
	}
	return false
}
