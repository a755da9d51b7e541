package handoff

import (
	"strings"
	"testing"
	"time"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load time zone %s: %v", name, err)
	}
	return loc
}

// weekStart gives the days of June 2025 of one week, Monday 2 to Sunday 8,
// far from any daylight-saving change.
var weekStart = map[time.Weekday]int{
	time.Monday: 2, time.Tuesday: 3, time.Wednesday: 4, time.Thursday: 5,
	time.Friday: 6, time.Saturday: 7, time.Sunday: 8,
}

// at returns the wall time day hh:mm of that week in loc; "sun" is the
// Sunday that ends it, and "nextmon" the Monday after.
func at(t testing.TB, loc *time.Location, day, clock string) time.Time {
	t.Helper()
	var d int
	if day == "nextmon" {
		d = 9
	} else {
		wd, ok := weekdays[day]
		if !ok {
			t.Fatalf("bad day %q in test", day)
		}
		d = weekStart[wd]
	}
	c, err := time.Parse("15:04", clock)
	if err != nil {
		t.Fatalf("bad clock %q in test", clock)
	}
	tm := time.Date(2025, 6, d, c.Hour(), c.Minute(), 0, 0, loc)
	if got := tm.Weekday(); day != "nextmon" && weekdays[day] != got {
		t.Fatalf("at(%s): got a %s", day, got)
	}
	return tm
}

func TestParseScheduleAlways(t *testing.T) {
	for _, s := range []string{"", "   ", "always", "Always", " ALWAYS ", "24/7"} {
		sch, err := ParseSchedule(s, time.UTC)
		if err != nil {
			t.Errorf("ParseSchedule(%q): %v", s, err)
			continue
		}
		if sch != nil {
			t.Errorf("ParseSchedule(%q): got %+v, want nil (always open)", s, sch)
		}
		// A nil schedule is open at any time.
		for _, tm := range []time.Time{{}, at(t, time.UTC, "sun", "03:00"), at(t, time.UTC, "wed", "23:59")} {
			if !sch.Open(tm) {
				t.Errorf("ParseSchedule(%q).Open(%v): got closed, want open", s, tm)
			}
		}
	}
}

// check is one instant and whether the chat should be open then.
type check struct {
	day, clock string
	open       bool
}

func TestScheduleOpen(t *testing.T) {
	tests := []struct {
		schedule string
		checks   []check
	}{
		{"mon-fri 08:00-20:00, sat 10:00-16:00", []check{
			{"mon", "07:59", false},
			{"mon", "08:00", true}, // start is inclusive
			{"mon", "12:00", true},
			{"mon", "19:59", true},
			{"mon", "20:00", false}, // end is exclusive
			{"wed", "08:00", true},
			{"fri", "19:59", true},
			{"fri", "20:00", false},
			{"sat", "09:59", false},
			{"sat", "10:00", true},
			{"sat", "15:59", true},
			{"sat", "16:00", false},
			{"sun", "12:00", false},
			{"mon", "00:00", false},
		}},
		{"Mon-Fri 08:00-20:00", []check{ // any case
			{"tue", "09:00", true},
			{"sat", "09:00", false},
		}},
		{"fri 20:00-02:00", []check{ // passes midnight
			{"fri", "19:59", false},
			{"fri", "20:00", true},
			{"fri", "23:59", true},
			{"sat", "00:00", true},
			{"sat", "01:59", true},
			{"sat", "02:00", false},
			{"thu", "23:00", false},
			{"thu", "01:00", false},
			{"sat", "20:00", false},
		}},
		{"sun 22:00-06:00", []check{ // passes midnight and the end of the week
			{"sun", "21:59", false},
			{"sun", "22:00", true},
			{"nextmon", "05:59", true},
			{"nextmon", "06:00", false},
			{"mon", "05:59", true}, // after the Sunday before: the week repeats
			{"mon", "06:00", false},
		}},
		{"fri 20:00-00:00", []check{ // to midnight exactly
			{"fri", "23:59", true},
			{"sat", "00:00", false},
		}},
		{"sat 00:00-24:00", []check{ // a whole day, as people write it
			{"fri", "23:59", false},
			{"sat", "00:00", true},
			{"sat", "23:59", true},
			{"sun", "00:00", false},
		}},
		{"sat 00:00-12:00, sat 12:00-00:00", []check{ // a whole day
			{"fri", "23:59", false},
			{"sat", "00:00", true},
			{"sat", "12:00", true},
			{"sat", "23:59", true},
			{"sun", "00:00", false},
		}},
		{"sat-mon 10:00-12:00", []check{ // a range of days across the week's end
			{"sat", "11:00", true},
			{"sun", "11:00", true},
			{"mon", "11:00", true},
			{"tue", "11:00", false},
			{"fri", "11:00", false},
		}},
		{"tue-mon 09:00-10:00", []check{ // every day
			{"mon", "09:30", true}, {"tue", "09:30", true}, {"wed", "09:30", true}, {"thu", "09:30", true},
			{"fri", "09:30", true}, {"sat", "09:30", true}, {"sun", "09:30", true}, {"sun", "10:00", false},
		}},
		{"wed-wed 09:00-10:00", []check{ // a range of one day
			{"wed", "09:30", true},
			{"tue", "09:30", false},
			{"thu", "09:30", false},
		}},
		{"mon 08:00-12:00, mon 14:00-18:00, mon 16:00-22:00", []check{ // several and overlapping spans
			{"mon", "12:00", false},
			{"mon", "13:59", false},
			{"mon", "14:00", true},
			{"mon", "17:00", true},
			{"mon", "21:59", true},
			{"mon", "22:00", false},
		}},
		{"sun 20:00-04:00, mon 02:00-06:00", []check{ // yesterday's span and today's overlap
			{"nextmon", "01:00", true},
			{"nextmon", "03:00", true},
			{"nextmon", "05:00", true},
			{"nextmon", "06:00", false},
		}},
		{"thu 8:00-9:05", []check{ // one-digit hours
			{"thu", "07:59", false},
			{"thu", "08:00", true},
			{"thu", "09:04", true},
			{"thu", "09:05", false},
		}},
		{"  mon   08:00-20:00  ,sat 10:00-16:00 ", []check{ // loose spacing
			{"mon", "08:00", true},
			{"sat", "10:00", true},
		}},
	}
	for _, tt := range tests {
		sch, err := ParseSchedule(tt.schedule, time.UTC)
		if err != nil {
			t.Errorf("ParseSchedule(%q): %v", tt.schedule, err)
			continue
		}
		if sch == nil {
			t.Errorf("ParseSchedule(%q): got nil (always open)", tt.schedule)
			continue
		}
		for _, c := range tt.checks {
			tm := at(t, time.UTC, c.day, c.clock)
			if got := sch.Open(tm); got != c.open {
				t.Errorf("%q at %s %s: got open=%v, want %v", tt.schedule, c.day, c.clock, got, c.open)
			}
			// Seconds within the minute change nothing.
			if got := sch.Open(tm.Add(59*time.Second + 999*time.Millisecond)); got != c.open {
				t.Errorf("%q at %s %s:59.999: got open=%v, want %v", tt.schedule, c.day, c.clock, got, c.open)
			}
		}
	}
}

func TestParseScheduleErrors(t *testing.T) {
	tests := []struct {
		schedule string
		want     string // in the error
	}{
		{"mon-fry 08:00-20:00", `"mon-fry" is not a range of days`},
		{"monday 08:00-20:00", `"monday" is not a day`},
		{"xyz 08:00-20:00", `"xyz" is not a day`},
		{"mon- 08:00-20:00", `"mon-" is not a range of days`},
		{"-fri 08:00-20:00", `"-fri" is not a range of days`},
		{"mon-tue-wed 08:00-20:00", `is not a range of days`},
		{"mon 25:00-20:00", `"25:00-20:00": "25:00" is not a time of day`},
		{"mon 08:00-24:01", `"24:01" is not a time of day`},
		{"mon 24:00-08:00", `"24:00" is not a time of day`}, // 24:00 only ends a day
		{"mon 08:60-20:00", `"08:60-20:00": "08:60" is not a time of day`},
		{"mon 8-20", `"8-20": "8" is not a time of day`},
		{"mon 08:00-20", `is not a time of day`},
		{"mon 08:00-", `is not a time of day`},
		{"mon -20:00", `is not a time of day`},
		{"mon 0800-2000", `is not a time of day`},
		{"mon 08.00-20.00", `is not a time of day`},
		{"mon 08:00-20:00:00", `is not a time of day`},
		{"mon 8am-8pm", `is not a time of day`},
		{"mon 08:00-08:00", `the span is empty`},
		{"mon 08:00", `"08:00": times are from-to`},
		{"mon-fri", `"mon-fri": write days then times`},
		{"08:00-20:00", `"08:00-20:00": write days then times`},
		{"mon-fri 08:00 - 20:00", `write days then times`},
		{"mon fri 08:00-20:00", `write days then times`},
		{"mon 08:00-20:00,", `"": write days then times`},
		{"mon 08:00-20:00,, sat 10:00-16:00", `"": write days then times`},
		{",mon 08:00-20:00", `"": write days then times`},
		{"mon 08:00-20:00; sat 10:00-16:00", `write days then times`},
		{"always, mon 08:00-20:00", `"always": write days then times`},
		{"never", `"never": write days then times`},
		{"sat 10:00-16:00, sun 25:00-26:00", `"25:00-26:00"`}, // a bad part after a good one
	}
	for _, tt := range tests {
		sch, err := ParseSchedule(tt.schedule, time.UTC)
		if err == nil {
			t.Errorf("ParseSchedule(%q): got %+v, want an error containing %s", tt.schedule, sch, tt.want)
			continue
		}
		if sch != nil {
			t.Errorf("ParseSchedule(%q): got a schedule with the error %v, want nil", tt.schedule, err)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseSchedule(%q): got error %q, want it to contain %s", tt.schedule, err, tt.want)
		}
	}
}

func TestScheduleTimeZones(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	const hours = "mon-fri 08:00-20:00"
	inNY, err := ParseSchedule(hours, ny)
	if err != nil {
		t.Fatal(err)
	}
	inUTC, err := ParseSchedule(hours, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		instant    string // RFC 3339
		nyOpen     bool
		utcOpen    bool
		whyThisOne string
	}{
		{"2025-06-02T12:00:00Z", true, true, "08:00 EDT, 12:00 UTC, a Monday"},
		{"2025-06-02T11:59:00Z", false, true, "07:59 EDT"},
		{"2025-06-02T08:00:00Z", false, true, "04:00 EDT"},
		{"2025-06-02T23:59:00Z", true, false, "19:59 EDT, 23:59 UTC"},
		{"2025-06-03T00:00:00Z", false, false, "Monday 20:00 EDT, Tuesday 00:00 UTC"},
		{"2025-06-06T23:30:00Z", true, false, "Friday 19:30 EDT, 23:30 UTC"},
		{"2025-06-07T00:30:00Z", false, false, "Friday 20:30 EDT, Saturday 00:30 UTC"},
		{"2025-06-09T03:00:00Z", false, false, "Sunday 23:00 EDT, Monday 03:00 UTC"},
		// Winter: New York is UTC-5.
		{"2025-01-06T13:00:00Z", true, true, "Monday 08:00 EST"},
		{"2025-01-06T12:59:00Z", false, true, "Monday 07:59 EST"},
		{"2025-01-07T00:59:00Z", true, false, "Monday 19:59 EST"},
		{"2025-01-07T01:00:00Z", false, false, "Monday 20:00 EST"},
		// The Monday after clocks went forward (Sunday 2025-03-09).
		{"2025-03-10T12:00:00Z", true, true, "Monday 08:00 EDT"},
		{"2025-03-07T12:30:00Z", false, true, "the Friday before: 07:30 EST"},
		// The Monday after clocks went back (Sunday 2025-11-02).
		{"2025-11-03T13:00:00Z", true, true, "Monday 08:00 EST"},
		{"2025-11-03T12:30:00Z", false, true, "Monday 07:30 EST"},
	}
	for _, tt := range tests {
		tm, err := time.Parse(time.RFC3339, tt.instant)
		if err != nil {
			t.Fatal(err)
		}
		if got := inNY.Open(tm); got != tt.nyOpen {
			t.Errorf("%s (%s) in New York: got open=%v, want %v", tt.instant, tt.whyThisOne, got, tt.nyOpen)
		}
		if got := inUTC.Open(tm); got != tt.utcOpen {
			t.Errorf("%s (%s) in UTC: got open=%v, want %v", tt.instant, tt.whyThisOne, got, tt.utcOpen)
		}
		// The zone of the time passed in does not matter, only the instant.
		for _, z := range []*time.Location{ny, time.UTC, mustLoad(t, "Asia/Tokyo")} {
			if inNY.Open(tm.In(z)) != tt.nyOpen {
				t.Errorf("%s given in %s: got a different answer", tt.instant, z)
			}
		}
	}
}

func TestScheduleDaylightSavingDays(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	tests := []struct {
		schedule string
		instant  string // RFC 3339, UTC
		open     bool
		local    string
	}{
		// Sunday 2025-03-09: 02:00 EST jumps to 03:00 EDT.
		{"sun 01:00-04:00", "2025-03-09T05:59:00Z", false, "00:59 EST"},
		{"sun 01:00-04:00", "2025-03-09T06:00:00Z", true, "01:00 EST"},
		{"sun 01:00-04:00", "2025-03-09T06:59:00Z", true, "01:59 EST"},
		{"sun 01:00-04:00", "2025-03-09T07:00:00Z", true, "03:00 EDT"},
		{"sun 01:00-04:00", "2025-03-09T07:59:00Z", true, "03:59 EDT"},
		{"sun 01:00-04:00", "2025-03-09T08:00:00Z", false, "04:00 EDT: two hours after opening"},
		{"sat 22:00-03:00", "2025-03-09T06:59:00Z", true, "Sunday 01:59 EST"},
		{"sat 22:00-03:00", "2025-03-09T07:00:00Z", false, "Sunday 03:00 EDT"},
		{"sun 02:00-02:30", "2025-03-09T07:15:00Z", false, "03:15 EDT: 02:00-02:30 never happens that day"},
		// Sunday 2025-11-02: 02:00 EDT goes back to 01:00 EST; 01:00-02:00
		// happens twice, and is open both times.
		{"sun 01:00-02:00", "2025-11-02T04:59:00Z", false, "00:59 EDT"},
		{"sun 01:00-02:00", "2025-11-02T05:00:00Z", true, "01:00 EDT"},
		{"sun 01:00-02:00", "2025-11-02T05:59:00Z", true, "01:59 EDT"},
		{"sun 01:00-02:00", "2025-11-02T06:00:00Z", true, "01:00 EST, again"},
		{"sun 01:00-02:00", "2025-11-02T06:59:00Z", true, "01:59 EST"},
		{"sun 01:00-02:00", "2025-11-02T07:00:00Z", false, "02:00 EST"},
		{"sat 22:00-02:00", "2025-11-02T06:30:00Z", true, "Sunday 01:30 EST, the second time"},
		{"sat 22:00-02:00", "2025-11-02T07:00:00Z", false, "Sunday 02:00 EST"},
	}
	for _, tt := range tests {
		sch, err := ParseSchedule(tt.schedule, ny)
		if err != nil {
			t.Fatalf("ParseSchedule(%q): %v", tt.schedule, err)
		}
		tm, err := time.Parse(time.RFC3339, tt.instant)
		if err != nil {
			t.Fatal(err)
		}
		if got := sch.Open(tm); got != tt.open {
			t.Errorf("%q at %s (%s in New York): got open=%v, want %v", tt.schedule, tt.instant, tt.local, got, tt.open)
		}
	}
}

func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{
		"", "always", "24/7", "mon-fri 08:00-20:00, sat 10:00-16:00", "fri 20:00-02:00",
		"sat-mon 10:00-12:00", "sun 22:00-06:00", "mon 25:00-20:00", "mon 8-20", "mon-fri",
		"mon 08:00-20:00,", "tue-mon 00:00-00:01", "fri 23:59-00:00", "wed 8:5-9:00",
		"SAT 00:00-12:00, sat 12:00-00:00", "mon-mon 00:00-23:59",
	} {
		f.Add(s)
	}
	ny, tokyo := mustLoad(f, "America/New_York"), mustLoad(f, "Asia/Tokyo")
	base := time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC) // a Monday
	var probes []time.Time
	for _, d := range []time.Duration{0, 7*time.Hour + 59*time.Minute, 8 * time.Hour, 20 * time.Hour, 23*time.Hour + 59*time.Minute + 59*time.Second} {
		for day := range 7 {
			probes = append(probes, base.AddDate(0, 0, day).Add(d))
		}
	}
	probes = append(probes, time.Time{}, time.Unix(0, 0), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2025, 3, 9, 7, 0, 0, 0, time.UTC), time.Date(2025, 11, 2, 6, 30, 0, 0, time.UTC))

	f.Fuzz(func(t *testing.T, s string) {
		for _, loc := range []*time.Location{time.UTC, ny} {
			sch, err := ParseSchedule(s, loc)
			if err != nil {
				if sch != nil {
					t.Fatalf("ParseSchedule(%q): a schedule and the error %v", s, err)
				}
				if err.Error() == "" {
					t.Fatalf("ParseSchedule(%q): an empty error", s)
				}
				continue
			}
			for _, p := range probes {
				open := sch.Open(p)
				if sch == nil && !open {
					t.Fatalf("ParseSchedule(%q) is nil, yet closed at %v", s, p)
				}
				// Only the instant counts, not the zone it is given in.
				if sch.Open(p.In(tokyo)) != open {
					t.Fatalf("ParseSchedule(%q).Open(%v): the answer changes with the zone of the argument", s, p)
				}
			}
			if sch == nil || loc != time.UTC {
				continue
			}
			// Every span is a real one, and open at its first and last
			// minute on its day.
			n := 0
			for day, spans := range sch.spans {
				for _, sp := range spans {
					n++
					if sp.from < 0 || sp.from >= 24*60 || sp.to <= sp.from || sp.to > sp.from+24*60 {
						t.Fatalf("ParseSchedule(%q): day %s has span %+v", s, day, sp)
					}
					d := base.AddDate(0, 0, (int(day)+6)%7) // base is a Monday
					first := d.Add(time.Duration(sp.from) * time.Minute)
					last := d.Add(time.Duration(sp.to-1) * time.Minute)
					if !sch.Open(first) || !sch.Open(last) {
						t.Fatalf("ParseSchedule(%q): closed within its span %+v on %s (at %v or %v)", s, sp, day, first, last)
					}
				}
			}
			if n == 0 {
				t.Fatalf("ParseSchedule(%q): a schedule with no spans, never open", s)
			}
		}
	})
}
