package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // served only on --debug-addr
	"os"
	"time"

	"helpline/internal/answer"
	"helpline/internal/broker"
	"helpline/internal/chat"
	"helpline/internal/config"
	"helpline/internal/console"
	"helpline/internal/embedredis"
	"helpline/internal/handoff"
	"helpline/internal/metrics"
	"helpline/internal/render"
	"helpline/internal/reps"
	"helpline/internal/semantic"
	"helpline/internal/server"
	"helpline/internal/store"
	"helpline/knowledge"
	"helpline/web"
)

// The visitor handler is the console's assistant on hand-back.
var _ console.Bot = (*chat.Handler)(nil)

// runServe runs the chat service until ctx is cancelled, then shuts down
// in order: stop accepting, close websockets with 1001 so clients
// reconnect elsewhere, and wait a bounded time.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Load("serve", args, getenv, stderr)
	if errors.Is(err, config.ErrFlags) {
		return errUsage
	}
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := newLogger(cfg.LogFormat, stderr)
	// The value logs the endpoint's host and the model, never the key.
	if cfg.LLM.On() {
		log.Info("language model on: matched questions get grounded answers, checked, else the curated ones", "llm", cfg.LLM)
	} else {
		log.Info("language model off: every answer is the curated one", "llm", cfg.LLM)
	}

	fsys := knowledge.FS()
	if cfg.Knowledge != "" {
		fsys = os.DirFS(cfg.Knowledge)
	}
	base, err := loadBase(fsys)
	if err != nil {
		return err
	}
	redisURL, embedded := cfg.RedisURL, cfg.RedisURL == ""
	if embedded {
		emb, err := embedredis.Start()
		if err != nil {
			return err
		}
		defer emb.Close()
		redisURL = emb.URL()
		log.Warn("REDIS_URL is not set: using an embedded in-memory Redis; every conversation is lost when the service stops")
	}
	rdb, closeRedis, err := store.Connect(ctx, redisURL, cfg.RedisMaster)
	if err != nil {
		return err
	}
	defer closeRedis()

	m := metrics.New()
	store.Instrument(rdb, m.RedisCommands, m.RedisErrors)
	b := broker.New(rdb, log)
	defer b.Close()
	st := store.New(rdb, store.Options{Retention: cfg.Retention, RatePerMinute: cfg.RatePerConversation})
	m.Watch(func(ctx context.Context) (metrics.Snapshot, error) { return snapshot(ctx, st) })
	accounts := reps.New(rdb)
	loc, _ := time.LoadLocation(cfg.TimeZone) // checked by config.Load
	hours, _ := handoff.ParseSchedule(cfg.ChatHours, loc)
	handoffs := handoff.New(st, accounts, cfg.Facts, handoff.Options{Hours: hours, Grace: cfg.RepGrace, MaxChats: cfg.MaxChats,
		VisitorGrace: cfg.VisitorGrace, Rejoin: cfg.VisitorRejoin}, log)
	engine, renderer := answer.New(base, cfg.Facts), render.New()
	model := newAssistant(cfg.LLM, cfg.Facts, m)
	llmStatus := func() string { return "off" }
	if model != nil {
		m.WatchAssistant(cfg.LLM.Model, cfg.LLM.Endpoint(), model.TokensThisMonth)
		llmStatus = func() string {
			failing := ""
			if model.Failing() {
				failing = "; failing: not asked for now, every answer the curated one"
			}
			return fmt.Sprintf("on (model %s at %s)%s; %s; %d tokens this month", cfg.LLM.Model, cfg.LLM.Endpoint(), failing, m.AssistantSummary(), model.TokensThisMonth())
		}
	}
	// The embedding model's ranking: the knowledge base is embedded in the
	// background (from the vectors other instances left in Redis, mostly),
	// and until it is ready the engine decides alone.
	var meaning chat.Meaning
	if cfg.LLM.On() && cfg.LLM.EmbeddingModel != "" {
		emb := semantic.NewOpenAI(semantic.OpenAIConfig{APIKey: cfg.LLM.APIKey, BaseURL: cfg.LLM.BaseURL, Model: cfg.LLM.EmbeddingModel, Timeout: cfg.LLM.Timeout})
		ranker := semantic.NewRanker(emb, semanticHits)
		meaning = ranker
		ectx, stopEmbedding := context.WithCancel(context.Background())
		embedded := make(chan struct{})
		go func() {
			defer close(embedded)
			ranker.Run(ectx, base, &semantic.Redis{Client: rdb, Model: cfg.LLM.EmbeddingModel}, time.Minute, log)
		}()
		defer func() { stopEmbedding(); <-embedded }()
		chatStatus := llmStatus
		llmStatus = func() string {
			if model == nil {
				return "on (embeddings only, at " + cfg.LLM.Endpoint() + "); " + ranker.Status()
			}
			return chatStatus() + "; " + ranker.Status()
		}
	}
	visitors := chat.NewHandler(st, b, engine, handoffs, renderer, m, log, chat.Options{
		Origins: cfg.Origins, MaxMessage: cfg.MaxMessage, RatePerAddress: cfg.RatePerAddress, TrustedProxies: cfg.TrustedProxies,
		// An answer may wait for the model's whole timeout, then be stored.
		Assistant: model, Meaning: meaning, AnswerTimeout: max(30*time.Second, cfg.LLM.Timeout+10*time.Second),
	})
	consoles := console.New(console.Deps{Store: st, Reps: accounts, Handoff: handoffs, Broker: b, Engine: engine, Render: renderer,
		Metrics: m, Bot: visitors, Model: model, Log: log, Web: web.FS(), TrustedProxies: cfg.TrustedProxies})
	demo := ""
	if n, err := accounts.Count(ctx); err == nil && n == 0 {
		if embedded {
			name, pw, err := demoAccount(ctx, rdb)
			if err != nil {
				return fmt.Errorf("demo account: %w", err)
			}
			demo = fmt.Sprintf(" (sign in as %s, password %s)", name, pw)
		} else {
			log.Warn("no representative accounts yet: create one with `helpline rep add NAME` to use the console")
		}
	}

	// The janitor hands a gone representative's conversations back to
	// the queue and tells waiting visitors their place; it ends with ctx.
	jctx, stopJanitor := context.WithCancel(context.Background())
	janitorDone := make(chan struct{})
	go func() { defer close(janitorDone); handoffs.NewJanitor(5 * time.Second).Run(jctx) }()
	defer func() { stopJanitor(); <-janitorDone }()

	srv := &http.Server{
		Handler:           server.New(server.Deps{Log: log, Redis: rdb, Metrics: m, Visitor: visitors, Console: consoles, Web: web.FS(), Facts: cfg.Facts, Assistant: llmStatus}),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	log.Info("serving", "addr", ln.Addr().String(), "entries", len(base.Entries))
	fmt.Fprintf(stdout, "helpline: chat page on http://%s/\n", displayAddr(ln.Addr()))
	fmt.Fprintf(stdout, "helpline: console on http://%s/console%s\n", displayAddr(ln.Addr()), demo)

	if cfg.DebugAddr != "" {
		dbg := &http.Server{Addr: cfg.DebugAddr, Handler: http.DefaultServeMux, ReadHeaderTimeout: 10 * time.Second}
		go dbg.ListenAndServe() // ends with the process; profiling only
		defer dbg.Close()
		log.Info("profiler", "addr", cfg.DebugAddr)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("http shutdown", "err", err)
	}
	if err := visitors.Shutdown(sctx); err != nil {
		log.Warn("websocket shutdown", "err", err)
	}
	if err := consoles.Shutdown(sctx); err != nil {
		log.Warn("console shutdown", "err", err)
	}
	<-errc
	return nil
}

// snapshot reads the queue and the open callbacks for the metrics.
func snapshot(ctx context.Context, st *store.Store) (metrics.Snapshot, error) {
	q, err := st.QueueNow(ctx)
	if err != nil {
		return metrics.Snapshot{}, err
	}
	reqs, err := st.OpenRequests(ctx, 0)
	if err != nil {
		return metrics.Snapshot{}, fmt.Errorf("read open requests: %w", err)
	}
	s := metrics.Snapshot{Waiting: map[string]int{}, OldestSeconds: map[string]float64{}}
	for p, f := range q {
		s.Waiting[string(p)], s.OldestSeconds[string(p)] = f.Waiting, f.OldestSeconds
	}
	for _, r := range reqs {
		if r.Kind == "callback" {
			s.CallbacksOpen++
		}
	}
	return s, nil
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}

// displayAddr turns a listen address into one a browser can open.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
