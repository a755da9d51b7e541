// Package handoff decides how a visitor reaches a person: whether someone
// can chat now (chat hours and who is online), what the visitor is told
// at each step, and the janitor that hands a gone representative's
// conversations back to the queue and keeps waiting visitors told of their
// place in line.
package handoff

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"helpline/internal/conversation"
	"helpline/internal/kb"
	"helpline/internal/reps"
	"helpline/internal/safety"
	"helpline/internal/store"
)

// Options tune the hand-off.
type Options struct {
	// Hours are when the chat has people; nil means always.
	Hours *Schedule
	// Alive is how recent a console's heartbeat must be for its
	// representative to count as online (45s).
	Alive time.Duration
	// Grace is how long a representative's console may be gone before
	// their conversations go back to the queue (60s).
	Grace time.Duration
	// MaxChats is how many conversations one representative may hold (4).
	MaxChats int
	// VisitorGrace is how long a waiting visitor may have no connection
	// open before they are taken out of the queue (2m). The conversation
	// is kept, back with the assistant.
	VisitorGrace time.Duration
	// Rejoin is how long after leaving the queue a visitor who comes back
	// gets their old place (15m); later, they join at the end.
	Rejoin time.Duration
}

// Service runs hand-offs for one instance.
type Service struct {
	store *store.Store
	reps  *reps.Store
	facts kb.Facts
	opts  Options
	log   *slog.Logger
	now   func() time.Time
}

// New returns a hand-off service.
func New(st *store.Store, r *reps.Store, facts kb.Facts, opts Options, log *slog.Logger) *Service {
	if opts.Alive == 0 {
		opts.Alive = 45 * time.Second
	}
	if opts.Grace == 0 {
		opts.Grace = 60 * time.Second
	}
	if opts.MaxChats == 0 {
		opts.MaxChats = 4
	}
	if opts.VisitorGrace == 0 {
		opts.VisitorGrace = 2 * time.Minute
	}
	if opts.Rejoin == 0 {
		opts.Rejoin = 15 * time.Minute
	}
	return &Service{store: st, reps: r, facts: facts, opts: opts, log: log, now: time.Now}
}

// BeatEvery is how often a console should say it is alive: often enough
// that one lost beat makes its representative look neither offline (Alive)
// nor gone (Grace). A console that disconnects says so at once (reps.Left),
// so the grace is counted from then; only an instance that dies without
// a word leaves the last beat, at most a third of the grace earlier.
func (s *Service) BeatEvery() time.Duration {
	return min(15*time.Second, s.opts.Alive/3, s.opts.Grace/3)
}

// MaxChats is the most conversations one representative may hold.
func (s *Service) MaxChats() int { return s.opts.MaxChats }

// Present returns the representatives whose consoles are alive, with
// their status.
func (s *Service) Present(ctx context.Context) (map[string]reps.Status, error) {
	return s.reps.Presence(ctx, s.opts.Alive)
}

// Available reports whether a person can chat now: within the chat hours,
// with at least one representative online, and how many are.
func (s *Service) Available(ctx context.Context) (bool, int) {
	if s.opts.Hours != nil && !s.opts.Hours.Open(s.now()) {
		return false, 0
	}
	present, err := s.Present(ctx)
	if err != nil {
		s.log.Error("presence", "err", err)
		return false, 0
	}
	n := 0
	for _, st := range present {
		if st == reps.Online {
			n++
		}
	}
	return n > 0, n
}

// Reasons for a hand-off.
const (
	ReasonAsked     = "asked"
	ReasonCrisis    = "crisis"
	ReasonBotFailed = "bot_failed"
	ReasonTakenOver = "taken_over"
)

// Request asks for a person for a conversation, at the priority its risk
// calls for. It returns false when nobody can chat now: the caller then
// tells the visitor so and offers the request forms.
func (s *Service) Request(ctx context.Context, conv, reason string, risk safety.Risk) (bool, error) {
	ok, online := s.Available(ctx)
	if !ok {
		return false, nil
	}
	st, err := s.store.Enqueue(ctx, conv, conversation.PriorityOf(string(risk.Level)), reason, s.Text(textFinding), string(risk.Kind), risk.Evidence)
	if err != nil {
		return true, err
	}
	if st == conversation.Queued || st == conversation.AlreadyQueued {
		s.tellPlace(ctx, conv, online)
	}
	return true, nil
}

// Resume is called when a visitor comes back to a conversation that waits
// for a person: if an instance died while asking for one, the conversation
// is put back in the queue at its place, and the visitor told it.
func (s *Service) Resume(ctx context.Context, conv string) error {
	added, err := s.store.EnsureQueued(ctx, conv)
	if err != nil || !added {
		return err
	}
	s.log.Warn("a waiting conversation was missing from the queue; put back", "conv", conv)
	_, online := s.Available(ctx)
	s.tellPlace(ctx, conv, online)
	return nil
}

// Return is called when a visitor comes back to a conversation that left
// the queue while they were gone: when someone can chat now it is put back
// in line, at its old place within the rejoin window, else at the end, and
// the visitor told their place. When nobody can chat now, the mark is
// cleared and Return reports offline: the caller tells the visitor so.
func (s *Service) Return(ctx context.Context, conv string) (offline bool, err error) {
	ok, online := s.Available(ctx)
	if !ok {
		return true, s.store.ForgetLeft(ctx, conv)
	}
	where, err := s.store.Rejoin(ctx, conv, s.opts.Rejoin, s.Text(textRejoinPlace), s.Text(textRejoinEnd))
	if err != nil || where == conversation.NotLeft {
		return false, err
	}
	s.log.Info("a visitor who left the queue came back", "conv", conv, "place", string(where))
	s.tellPlace(ctx, conv, online)
	return false, nil
}

// tellPlace tells a waiting visitor their place in line and the expected
// wait.
func (s *Service) tellPlace(ctx context.Context, conv string, online int) int {
	ev, ok := s.place(ctx, conv, online)
	if !ok {
		return 0
	}
	s.store.Publish(ctx, conv, false, ev)
	return ev.Position
}

// Place returns a waiting visitor's place in line and the expected wait,
// as the queue event tells them; false when they are not waiting. A
// connection that missed events while Redis was away tells its visitor
// with it.
func (s *Service) Place(ctx context.Context, conv string) (conversation.Event, bool) {
	_, online := s.Available(ctx)
	return s.place(ctx, conv, online)
}

func (s *Service) place(ctx context.Context, conv string, online int) (conversation.Event, bool) {
	pos, err := s.store.Position(ctx, conv)
	if err != nil || pos == 0 {
		return conversation.Event{}, false
	}
	recent, _ := s.store.RecentWaits(ctx)
	wait := conversation.EstimateWait(recent, pos, online)
	return conversation.Event{Type: "queue", Position: pos, Wait: int(wait.Seconds())}, true
}

// The visitor-facing texts of the hand-off. Like the bot's, they are fixed
// texts with the operator's facts.
const (
	textFinding     = "I'm finding a person from {{helpline_name}} for you. You can keep writing here; they will see everything."
	textJoined      = "%s from {{helpline_name}} has joined the chat."
	textBack        = "You're back with the helpline assistant. Ask me anything, or ask for a person again any time."
	textClosed      = "This chat has been closed. Thank you for reaching out. If you need us again, start a new chat or call {{phone}} ({{hours}})."
	textRepGone     = "The person you were talking with lost their connection. I'm finding someone else for you, and you keep your place in line."
	textOffline     = "Nobody from {{helpline_name}} can chat right now. You can call {{phone}} ({{hours}}), or leave a request below: we can call you back, or check your insurance."
	textCallback    = "Thank you. Your request is with the team, who call back during our hours ({{hours}}). If anything gets worse before then, call {{phone}}."
	textInsurance   = "Thank you. Someone from the team will check your coverage and get back to you. To check right away, call {{phone}} ({{hours}})."
	textLeft        = "You were away for a while, so you are out of the line for now. Come back soon and you get your place back."
	textRejoinPlace = "Welcome back. You're in line again, at the place you had."
	textRejoinEnd   = "Welcome back. You were away for a while, so you're in line again at the end. Thank you for waiting."
)

// Why a waiting visitor's place got worse, and what they are told. A place
// in line never gets worse without one of these.
const (
	// WhyEmergency: someone in danger to life now went ahead.
	WhyEmergency = "emergency"
	// WhyUrgent: someone who needs urgent help went ahead.
	WhyUrgent = "urgent"
	// WhyRequeued: someone whose representative lost their connection got
	// their place back ahead.
	WhyRequeued = "requeued"
	// WhyReturned: someone who was ahead, and stepped away, came back.
	WhyReturned = "returned"
	// WhyOther: someone who had waited longer was put back in line.
	WhyOther = "other"
)

// whyTexts are what the visitor reads for each reason.
var whyTexts = map[string]string{
	WhyEmergency: "Someone in an emergency was put ahead of you.",
	WhyUrgent:    "Someone who needs urgent help was put ahead of you.",
	WhyRequeued:  "Someone whose chat with a person was cut off got their place back ahead of you.",
	WhyReturned:  "Someone who was ahead of you in line came back.",
	WhyOther:     "Someone who had waited longer than you was put back in line.",
}

// WhyText is what the visitor reads when their place got worse for why.
func WhyText(why string) string { return whyTexts[why] }

// Text returns one of the hand-off texts with the operator's facts.
func (s *Service) Text(t string) string { return s.facts.Render(t) }

// Joined is the system message when a representative joins.
func (s *Service) Joined(rep string) string {
	return strings.Replace(s.Text(textJoined), "%s", reps.DisplayName(rep), 1)
}

// Exported texts for the chat and console.
var (
	TextBack      = textBack
	TextClosed    = textClosed
	TextOffline   = textOffline
	TextCallback  = textCallback
	TextInsurance = textInsurance
)

// Offline is what the visitor reads when nobody can chat now, with the
// crisis lines when the risk calls for them.
func (s *Service) Offline(risk safety.Risk) string {
	text := s.Text(textOffline)
	switch {
	case risk.Kind == safety.Suicide || risk.Kind == safety.SelfHarm:
		text += " If you are thinking about suicide or hurting yourself, call or text **988** now."
	case risk.Level == safety.Emergency:
		text += " If anyone is in danger, call **911** now."
	}
	return text
}
