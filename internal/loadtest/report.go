package loadtest

import (
	"fmt"
	"io"
	"time"
)

// Write prints the report as the bench command shows it.
func (r Report) Write(w io.Writer) {
	fmt.Fprintf(w, "targets: %d instance(s)\n", r.Targets)
	if c := r.Cross; c != nil {
		fmt.Fprintf(w, "cross-instance: %d conversations (representative's limit %d, %d consoles), visitors on %s, representative on %s\n",
			c.Conversations, c.MaxChats, c.Consoles, c.VisitorsOn, c.RepOn)
		fmt.Fprintf(w, "  representative -> visitor: %s (%d sent)\n", c.RepToVisitor, c.RepSent)
		fmt.Fprintf(w, "  visitor -> representative: %s (%d sent)\n", c.VisitorToRep, c.VisitorSent)
		fmt.Fprintf(w, "  %.0f messages/s delivered, %s Redis round trips per message, errors: %v\n",
			c.PerSecond(), perMessage(c.RedisPerMessage()), c.Errors)
	}
	if c := r.Chat; c != nil {
		fmt.Fprintf(w, "chat: %d visitors, one question each per interval\n", c.Helpline.Clients)
		writeComparison(w, *c)
		fmt.Fprintf(w, "  p99 helpline/echo: %.1fx\n", c.P99Ratio())
	}
	if c := r.Saturation; c != nil {
		fmt.Fprintf(w, "saturation: %d clients in a closed loop\n", c.Helpline.Clients)
		writeComparison(w, *c)
		fmt.Fprintf(w, "  round trips/s helpline/echo: %.1f%%\n", 100*c.Ratio())
	}
	if f := r.Flood; f != nil {
		fmt.Fprintf(w, "flood: %d visitors, one question a second, on the flooder's instance\n", f.Quiet.Clients)
		fmt.Fprintf(w, "  without flood: %s, %d errors\n", f.Quiet.Latency, f.Quiet.Errors)
		fmt.Fprintf(w, "  with flood:    %s, %d errors\n", f.Flooded.Latency, f.Flooded.Errors)
		fmt.Fprintf(w, "  while the flood lasted: %s\n", f.During)
		fmt.Fprintf(w, "  p99 with/without: %.2f (whole run), %.2f (while the flood lasted)\n", f.P99Ratio(), f.DuringRatio())
		o := f.Flooder
		closed := "not closed"
		switch {
		case o.Closed:
			closed = fmt.Sprintf("closed with %d", o.CloseCode)
		case o.Ended != "":
			closed = "connection ended: " + o.Ended
		case o.Lasted == 0:
			closed = "the service had not handled the flood when the run ended"
		}
		handled := ""
		if o.Lasted > 0 {
			handled = " (all handled in " + o.Lasted.Round(time.Millisecond).String() + ")"
		}
		fmt.Fprintf(w, "  flooder: %d sent%s, %d stored, %d answered, %d rate_limited (retry_after %ds), %d other errors, %s\n",
			o.Sent, handled, o.Stored, o.Answered, o.RateLimited, o.RetryAfter, o.OtherErrors, closed)
		fmt.Fprintf(w, "  redis round trips per message (flood run, all messages): %s\n",
			perMessage(f.Flooded.RedisCalls/float64(max(1, f.Flooded.Asked+o.Sent))))
	}
	if i := r.Idle; i != nil {
		fmt.Fprintf(w, "idle: %d connections; services' RSS %.1f MB -> %.1f MB, %.1f KB per connection\n",
			i.Opened, i.RSSBefore/1e6, i.RSSAfter/1e6, i.PerConnection()/1024)
	}
}

func writeComparison(w io.Writer, c Comparison) {
	for _, x := range []struct {
		name string
		w    Workload
	}{{"helpline", c.Helpline}, {"echo", c.Echo}} {
		fmt.Fprintf(w, "  %-8s %s; %d asked, %d answered, %d errors in %s: %.0f round trips/s",
			x.name, x.w.Latency, x.w.Asked, x.w.Answered, x.w.Errors, x.w.Elapsed.Round(time.Millisecond), x.w.PerSecond())
		if p := x.w.RedisPerMessage(); p >= 0 {
			fmt.Fprintf(w, ", %.2f Redis round trips per visitor message", p)
		}
		fmt.Fprintln(w)
	}
}

// String gives the percentiles on one line.
func (l Latency) String() string {
	r := func(d time.Duration) time.Duration { return d.Round(10 * time.Microsecond) }
	return fmt.Sprintf("p50 %s p95 %s p99 %s max %s (n %d)", r(l.P50), r(l.P95), r(l.P99), r(l.Max), l.N)
}

func perMessage(v float64) string {
	if v < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", v)
}
