package chat

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"helpline/internal/answer"
	"helpline/internal/conversation"
	"helpline/internal/safety"
)

// Answering a visitor's message is a stage of its own. The reader stores
// the message and the visitor sees it at once; the decision and the
// reply run in a worker goroutine per conversation, owned by the Handler
// rather than by the connection:
//
//   - a closed tab does not cancel a reply half-way: the worker's context
//     is the handler's, with a deadline of its own (Options.AnswerTimeout),
//     and the stored reply reaches the visitor when they come back;
//   - the reader is never held up by a slow stage (the language model), so
//     `end`, `delete`, typing and pings are handled at once; ending or
//     deleting the conversation cancels a generation under way, and its
//     result is discarded;
//   - replies stay in the order of the messages: one worker per
//     conversation, with a bounded queue;
//   - a newer message supersedes a generation under way: the model's
//     answer is abandoned and the curated one stored at once, so that
//     nothing, a crisis least of all, waits behind the model.
//
// A worker ends when its queue has been empty for Options.WorkerIdle, and
// at shutdown once its queue is done (Handler.Shutdown waits for it).

// job is one stored visitor message to answer.
type job struct {
	// c is the connection the message came on: a failure is told to it
	// while it is open.
	c    *conn
	conv string
	// msg is the stored message's id; clientID the client's id for it,
	// which names the claim on answering it, taken as it was stored.
	msg      string
	clientID string
	text     string
	// decide is the answering engine's decision for the message, given the
	// conversation's context.
	decide func(answer.Memory) answer.Decision
	// ground says the visitor typed a question: the language model may
	// write the answer (a tapped entry gets its curated text).
	ground bool
	// dup says the message was a retry of one already stored.
	dup bool
	// rawCtx and state are the conversation's answer context and state as
	// storing the message found them.
	rawCtx []byte
	state  conversation.State
	// fresh says no earlier message of the conversation was being answered
	// here when this one was queued, so rawCtx and state are current; else
	// the worker reads them again, after the earlier reply.
	fresh bool
	start time.Time
}

// worker answers one conversation's messages in order.
type worker struct {
	conv string
	jobs chan job
	// pending counts the jobs queued and running; running and cancel are
	// the running job's message and the cancellation of its generation
	// (nil when idle). Guarded by workers.mu.
	pending int
	running string
	cancel  context.CancelCauseFunc
}

// workers are a handler's answer workers, at most one per conversation.
type workers struct {
	mu      sync.Mutex
	m       map[string]*worker
	closing bool
	quit    chan struct{} // closed at shutdown: idle workers end at once
	wg      sync.WaitGroup
	// ctx is every job's parent: cancelled only when a shutdown's grace
	// is over.
	ctx  context.Context
	stop context.CancelCauseFunc
}

func newWorkers() workers {
	ctx, stop := context.WithCancelCause(context.Background())
	return workers{m: map[string]*worker{}, quit: make(chan struct{}), ctx: ctx, stop: stop}
}

// Causes of a generation's cancellation.
var (
	// errSuperseded: a newer message of the conversation came; the curated
	// answer is stored instead of waiting for the model.
	errSuperseded = errors.New("a newer message came")
	// errEnded: the visitor ended or deleted the conversation; nothing is
	// stored.
	errEnded = errors.New("conversation ended")
)

// claimMargin is how much longer a claim on answering a message lives
// than the answer may take.
const claimMargin = 5 * time.Second

// enqueue queues a job for its conversation's worker, starting one if
// need be. It reports false when the queue is full or the handler is
// shutting down.
func (h *Handler) enqueue(j job) bool {
	w := &h.work
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closing {
		return false
	}
	wk := w.m[j.conv]
	if wk == nil {
		wk = &worker{conv: j.conv, jobs: make(chan job, h.opts.AnswerQueue)}
		w.m[j.conv] = wk
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			h.runWorker(wk)
		}()
	}
	j.fresh = wk.pending == 0
	select {
	case wk.jobs <- j:
	default:
		return false
	}
	wk.pending++
	if wk.cancel != nil && wk.running != j.msg {
		wk.cancel(errSuperseded)
	}
	return true
}

// cancelAnswer cancels the generation under way for conv, if any: the
// conversation was ended or deleted, and the answer is not stored.
func (h *Handler) cancelAnswer(conv string) {
	w := &h.work
	w.mu.Lock()
	defer w.mu.Unlock()
	if wk := w.m[conv]; wk != nil && wk.cancel != nil {
		wk.cancel(errEnded)
	}
}

// runWorker answers a conversation's jobs until it has had none for a
// while, or the handler shuts down.
func (h *Handler) runWorker(wk *worker) {
	idle := time.NewTimer(h.opts.WorkerIdle)
	defer idle.Stop()
	for {
		select {
		case j := <-wk.jobs:
			h.runJob(wk, j)
			idle.Reset(h.opts.WorkerIdle)
			continue
		case <-idle.C:
		case <-h.work.quit:
		}
		// Ending is decided under the lock enqueue takes: a job queued
		// before is answered, one queued after finds no worker and starts
		// a new one.
		h.work.mu.Lock()
		if len(wk.jobs) > 0 {
			h.work.mu.Unlock()
			continue
		}
		delete(h.work.m, wk.conv)
		h.work.mu.Unlock()
		return
	}
}

// runJob answers one job within the answer deadline.
func (h *Handler) runJob(wk *worker, j job) {
	ctx, cancel := context.WithTimeout(h.work.ctx, h.opts.AnswerTimeout)
	defer cancel()
	gen, stopGen := context.WithCancelCause(ctx)
	defer stopGen(nil)
	h.work.mu.Lock()
	wk.running, wk.cancel = j.msg, stopGen
	if wk.pending > 1 {
		// Newer messages wait already: this one gets its curated answer.
		stopGen(errSuperseded)
	}
	h.work.mu.Unlock()
	defer func() {
		h.work.mu.Lock()
		wk.running, wk.cancel = "", nil
		wk.pending--
		h.work.mu.Unlock()
	}()
	h.answerJob(ctx, gen, j)
}

// releaseAnswer gives up this instance's claim on answering j's message,
// so that the visitor's retry is answered at once. Even after the
// deadline, briefly: a claim left would hold the retry back.
func (h *Handler) releaseAnswer(ctx context.Context, j job) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := h.store.ReleaseAnswer(rctx, j.conv, j.clientID, h.id); err != nil {
		h.log.Warn("release an answer", "conv", j.conv, "err", err)
	}
}

// answerJob decides the answer to j's message, whose answering storing it
// claimed for this instance, and stores the reply, unless the
// conversation changed hands meanwhile.
func (h *Handler) answerJob(ctx, gen context.Context, j job) {
	failed := func(op string, err error) {
		h.releaseAnswer(ctx, j)
		h.answerFailed(ctx, j, op, err)
	}
	// A message that waited behind another's answer renews its claim,
	// which storing it took: the wait may have used most of its life.
	if !j.fresh {
		mine, err := h.store.RenewAnswer(ctx, j.conv, j.clientID, h.id, h.opts.AnswerTimeout+claimMargin)
		if err != nil {
			failed("renew an answer's claim", err)
			return
		}
		if !mine {
			return // it expired meanwhile, and another instance answers the retry
		}
	}
	// A retried message is answered again only if nothing follows it: its
	// reply was lost (say, the server stopped in between).
	if j.dup {
		next, err := h.store.Messages(ctx, j.conv, j.msg, 1)
		if err != nil || len(next) > 0 {
			return
		}
	}
	rawCtx, state := j.rawCtx, j.state
	if !j.fresh {
		cv, err := h.store.Get(ctx, j.conv)
		if conversation.ErrorCode(err) == conversation.NotFound {
			return // deleted meanwhile
		}
		if err != nil {
			failed("answer", err)
			return
		}
		rawCtx, state = cv.Context, cv.State
	}
	if state == conversation.StateClosed {
		return // ended meanwhile
	}
	actx := h.memory(j.conv, rawCtx)
	if state == conversation.StateRep {
		// Taken by a representative while the message waited.
		h.screenHeld(ctx, j.c, j.conv, j.text, actx)
		return
	}
	// Each stage that may ask an endpoint says so: time has passed, and
	// the conversation is read again before the reply.
	d := j.decide(actx)
	var risk safety.Risk // the zero Risk: no endpoint is asked
	if j.ground && (h.opts.Assistant != nil || h.opts.Meaning != nil) {
		risk = h.conversationRisk(gen, j, d, actx)
	}
	d, ranked := h.reconsider(gen, j, d, actx, risk)
	d, chose := h.choose(gen, j, d, risk)
	next := actx.Next(j.text, d)
	g := h.generate(gen, j, d, actx, risk)
	if g.asked || chose || ranked {
		// Time has passed: the visitor may have ended or deleted the
		// conversation, or a representative taken it. Their word stands;
		// the answer is dropped.
		if errors.Is(context.Cause(gen), errEnded) {
			return
		}
		cv, err := h.store.Get(ctx, j.conv)
		if conversation.ErrorCode(err) == conversation.NotFound {
			return
		}
		if err != nil {
			failed("answer", err)
			return
		}
		if cv.State == conversation.StateClosed || cv.State == conversation.StateRep {
			return
		}
		state = cv.State
	}
	if err := h.replyWith(ctx, j.conv, d, next, state, g); err != nil {
		failed("answer", err)
		return
	}
	h.metrics.AnswerSeconds.Observe(time.Since(j.start).Seconds())
}

// answerFailed reports a failure to answer j: to the visitor while their
// connection is open (conn.storeFailed logs it too), else to the log
// alone, since the answer was theirs all the same. A shutdown's
// cancellation is no failure to report.
func (h *Handler) answerFailed(ctx context.Context, j job, op string, err error) {
	if j.c.ctx.Err() == nil {
		j.c.storeFailed(op, err)
		return
	}
	if ctx.Err() != nil {
		return
	}
	h.metrics.RedisErrors.Inc()
	h.log.Error(op, "conv", j.conv, "err", err)
}

// screenHeld screens a message written while a representative holds the
// conversation: the bot stays silent, but a danger found still raises the
// conversation's risk and alerts the consoles.
func (h *Handler) screenHeld(ctx context.Context, c *conn, conv, text string, actx answer.Memory) {
	risk := safety.Screen(text, actx.Recent)
	if risk.Crisis() {
		h.log.Warn("crisis while a representative answers", "conv", conv, "risk", risk)
		if err := h.store.MarkRisk(ctx, conv, string(risk.Kind), string(risk.Level), risk.Evidence); err != nil {
			c.storeFailed("mark risk", err)
		}
	}
	// The next message is screened in the light of this one, as it would
	// be with the bot answering.
	next, _ := json.Marshal(actx.Next(text, answer.Decision{Kind: answer.KindHandoff, Risk: risk}))
	if err := h.store.SetContext(ctx, conv, next); err != nil {
		h.log.Warn("keep the screen's context", "conv", conv, "err", err)
	}
}

// screenHeld screens, in the reader, a message written while a
// representative holds the conversation.
func (c *conn) screenHeld(text string, rawCtx []byte) {
	c.h.screenHeld(c.ctx, c, c.conv, text, c.h.memory(c.conv, rawCtx))
}

// memory reads the engine's memory of conv as stored; a bad one only
// loses the follow-up topic and the recent messages, and is started
// afresh.
func (h *Handler) memory(conv string, raw []byte) answer.Memory {
	var m answer.Memory
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &m); err != nil {
			h.log.Warn("bad answer context; starting afresh", "conv", conv, "err", err)
			return answer.Memory{}
		}
	}
	return m
}

// shutdown stops taking jobs and waits for the workers to finish theirs
// until ctx ends; then it cancels the jobs under way, which end at once
// (every step of a job takes its context), and waits for them.
func (w *workers) shutdown(ctx context.Context) error {
	w.mu.Lock()
	if !w.closing {
		w.closing = true
		close(w.quit)
	}
	w.mu.Unlock()
	done := make(chan struct{})
	go func() {
		w.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		w.stop(errShutdown)
		<-done
		return ctx.Err()
	}
}
