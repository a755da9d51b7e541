// Package config loads the service's settings from flags and the
// environment, in one place, with documented defaults, and validates them
// at start with errors that name the bad setting.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"helpline/internal/handoff"
	"helpline/internal/kb"
)

// Config is everything `helpline serve` can be told. The zero value of a
// field is never used: Load fills every field with its default first.
type Config struct {
	// Addr is the HTTP listen address.
	Addr string
	// RedisURL is a redis:// or rediss:// URL, or several comma-separated
	// host:port addresses for Sentinel (with RedisMaster) or Cluster.
	// Empty starts an embedded in-memory Redis: fine for trying it out,
	// but state is lost on restart.
	RedisURL string
	// RedisMaster is the Sentinel master name, when RedisURL lists
	// Sentinel addresses.
	RedisMaster string
	// Origins are the page origins allowed to open the visitor websocket
	// ("https://helpline.example"); the service's own origin is always
	// allowed. "*" allows any origin (development only).
	Origins []string
	// Retention is how long a conversation is kept after its last
	// activity.
	Retention time.Duration
	// MaxMessage is the longest visitor message, in characters.
	MaxMessage int
	// RatePerConversation and RatePerAddress bound visitor messages per
	// minute, per conversation and per client address.
	RatePerConversation int
	RatePerAddress      int
	// Knowledge is a knowledge-base directory; empty uses the built-in one.
	Knowledge string
	// Facts are the operator's facts the knowledge base refers to.
	Facts kb.Facts
	// TimeZone is the operator's time zone, for opening hours.
	TimeZone string
	// ChatHours are when representatives answer the chat, as
	// handoff.ParseSchedule reads them ("mon-fri 08:00-20:00, sat
	// 10:00-16:00"), in TimeZone; "always" means around the clock. Outside
	// them, and when nobody is online, visitors are offered a callback.
	ChatHours string
	// MaxChats is how many conversations one representative may hold.
	MaxChats int
	// RepGrace is how long a representative's console may be gone before
	// their conversations go back to the queue.
	RepGrace time.Duration
	// VisitorGrace is how long a waiting visitor may have no connection
	// open before they leave the queue (the conversation is kept).
	VisitorGrace time.Duration
	// VisitorRejoin is how long after leaving the queue a visitor who
	// comes back gets their old place; later they join at the end.
	VisitorRejoin time.Duration
	// TrustedProxies is how many proxies (load balancers, CDNs) stand in
	// front of the service and append to X-Forwarded-For; the client's
	// address is the one the outermost of them saw. 0 (the default) uses
	// the peer's address and ignores the header, which any client can
	// write.
	TrustedProxies int
	// DebugAddr, when set, serves Go's profiler (/debug/pprof/) there;
	// keep it on loopback.
	DebugAddr string
	// LogFormat is "json" (production) or "text".
	LogFormat string
	// ShutdownGrace bounds how long a shutdown waits for connections.
	ShutdownGrace time.Duration
	// LLM configures the optional language model; it is off unless an
	// API key or a base URL is set.
	LLM LLM
}

// LLM is the optional language model behind grounded answers: any
// endpoint that speaks OpenAI's chat-completions API (OpenAI itself, or a
// local server such as vLLM, llama.cpp or Ollama through BaseURL). With
// neither APIKey nor BaseURL set it is off, and every answer is the
// curated one, as without it.
type LLM struct {
	// APIKey is the endpoint's key. It is read from the environment only
	// (HELPLINE_LLM_API_KEY), never from a flag, so that it shows in no
	// process list and no usage text, and it is never logged.
	APIKey string
	// BaseURL is the endpoint, e.g. http://127.0.0.1:8000/v1 for a local
	// server; empty with a key set means OpenAI's own.
	BaseURL string
	// Model is the chat model's name; it must be set when the model is on.
	Model string
	// EmbeddingModel is the embedding model's name; empty means no
	// embeddings.
	EmbeddingModel string
	// Timeout bounds one request to the endpoint; past it the curated
	// answer is used.
	Timeout time.Duration
	// RequestsPerMinute is the most chat-model requests this instance
	// sends in any minute; past it the curated answer is used. Embedding
	// requests are not counted.
	RequestsPerMinute int
	// MonthlyTokens is the most chat-model tokens (prompt and reply) this
	// instance spends in a calendar month (UTC); past it the curated
	// answer is used. 0 means no limit. Embeddings are not counted.
	MonthlyTokens int64
	// Transcripts allows sending the visitor's earlier messages (masked)
	// along with the question. Off, only the current question is ever
	// sent.
	Transcripts bool
}

// DefaultOpenAIURL is the base URL used when only an API key is set.
const DefaultOpenAIURL = "https://api.openai.com/v1"

// On reports whether the language model is configured.
func (l LLM) On() bool { return l.APIKey != "" || l.BaseURL != "" }

// String describes the settings without the key.
func (l LLM) String() string {
	if !l.On() {
		return "off"
	}
	key := "no key"
	if l.APIKey != "" {
		key = "key set"
	}
	return fmt.Sprintf("on (%s, model %s, %s)", l.endpointHost(), l.Model, key)
}

// LogValue keeps the key out of logs.
func (l LLM) LogValue() slog.Value {
	if !l.On() {
		return slog.StringValue("off")
	}
	return slog.GroupValue(slog.String("endpoint", l.endpointHost()), slog.String("model", l.Model),
		slog.String("embedding_model", l.EmbeddingModel), slog.Bool("key", l.APIKey != ""),
		slog.Duration("timeout", l.Timeout), slog.Int("requests_per_minute", l.RequestsPerMinute),
		slog.Int64("monthly_tokens", l.MonthlyTokens), slog.Bool("transcripts", l.Transcripts))
}

// Endpoint is the endpoint's scheme and host, without any credential or
// path: what logs, metrics and the readiness page may show.
func (l LLM) Endpoint() string { return l.endpointHost() }

// endpointHost is the endpoint's scheme and host: a base URL may carry
// credentials in its user part or query, which are not shown.
func (l LLM) endpointHost() string {
	u, err := url.Parse(l.BaseURL)
	if err != nil || u.Host == "" {
		return "(invalid endpoint)"
	}
	return u.Scheme + "://" + u.Host
}

// ErrFlags marks an error in how the command line was written (the flag
// package has already printed the usage).
var ErrFlags = errors.New("invalid flags")

// Default returns the documented defaults.
func Default() Config {
	return Config{
		Addr:                ":8080",
		Retention:           30 * 24 * time.Hour,
		MaxMessage:          2000,
		RatePerConversation: 20,
		RatePerAddress:      60,
		Facts:               kb.DefaultFacts(),
		TimeZone:            "America/New_York",
		ChatHours:           "always",
		MaxChats:            4,
		RepGrace:            time.Minute,
		VisitorGrace:        2 * time.Minute,
		VisitorRejoin:       15 * time.Minute,
		LogFormat:           "json",
		ShutdownGrace:       10 * time.Second,
		LLM: LLM{
			Timeout:           8 * time.Second,
			RequestsPerMinute: 60,
			MonthlyTokens:     2_000_000,
		},
	}
}

// Load reads flags from args, with the environment (through getenv) as
// the fallback for each, and validates the result.
func Load(name string, args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	c := Default()
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	var origins, retention, maxMessage, ratePerConv, ratePerAddr, grace, maxChats, repGrace, visitorGrace, visitorRejoin string
	var llmTimeout, llmRate, llmTokens, llmTranscripts string
	fs.StringVar(&c.Addr, "addr", env("HELPLINE_ADDR", c.Addr), "listen `address` (env HELPLINE_ADDR)")
	fs.StringVar(&c.RedisURL, "redis", env("REDIS_URL", ""), "Redis `URL` or addresses; empty starts an embedded Redis (env REDIS_URL)")
	fs.StringVar(&c.RedisMaster, "redis-master", env("REDIS_MASTER", ""), "Sentinel master `name` (env REDIS_MASTER)")
	fs.StringVar(&origins, "origins", env("HELPLINE_ORIGINS", ""), "comma-separated allowed page `origins` for the widget (env HELPLINE_ORIGINS)")
	fs.StringVar(&retention, "retention", env("HELPLINE_RETENTION", "30d"), "keep conversations this long after their last activity, e.g. 30d or 72h (env HELPLINE_RETENTION)")
	fs.StringVar(&maxMessage, "max-message", env("HELPLINE_MAX_MESSAGE", strconv.Itoa(c.MaxMessage)), "longest visitor message in `characters` (env HELPLINE_MAX_MESSAGE)")
	fs.StringVar(&ratePerConv, "rate-conversation", env("HELPLINE_RATE_CONVERSATION", strconv.Itoa(c.RatePerConversation)), "visitor messages per minute per conversation (env HELPLINE_RATE_CONVERSATION)")
	fs.StringVar(&ratePerAddr, "rate-address", env("HELPLINE_RATE_ADDRESS", strconv.Itoa(c.RatePerAddress)), "visitor messages per minute per client address (env HELPLINE_RATE_ADDRESS)")
	fs.StringVar(&c.Knowledge, "knowledge", env("HELPLINE_KNOWLEDGE", ""), "knowledge base `DIR`; empty uses the built-in one (env HELPLINE_KNOWLEDGE)")
	fs.StringVar(&c.Facts.HelplineName, "name", env("HELPLINE_NAME", c.Facts.HelplineName), "the helpline's name (env HELPLINE_NAME)")
	fs.StringVar(&c.Facts.Phone, "phone", env("HELPLINE_PHONE", c.Facts.Phone), "the helpline's phone number (env HELPLINE_PHONE)")
	fs.StringVar(&c.Facts.Hours, "hours", env("HELPLINE_HOURS", c.Facts.Hours), "when the phone and chat are answered, in words (env HELPLINE_HOURS)")
	fs.StringVar(&c.Facts.Website, "website", env("HELPLINE_WEBSITE", c.Facts.Website), "the helpline's website (env HELPLINE_WEBSITE)")
	fs.StringVar(&c.Facts.Insurers, "insurers", env("HELPLINE_INSURERS", c.Facts.Insurers), "the insurers the helpline works with, in words (env HELPLINE_INSURERS)")
	fs.StringVar(&c.TimeZone, "timezone", env("HELPLINE_TIMEZONE", c.TimeZone), "the operator's IANA time `zone` (env HELPLINE_TIMEZONE)")
	fs.StringVar(&c.ChatHours, "chat-hours", env("HELPLINE_CHAT_HOURS", c.ChatHours), "when representatives answer the chat, e.g. \"mon-fri 08:00-20:00, sat 10:00-16:00\" or always (env HELPLINE_CHAT_HOURS)")
	fs.StringVar(&maxChats, "max-chats", env("HELPLINE_MAX_CHATS", strconv.Itoa(c.MaxChats)), "conversations one representative may hold at once (env HELPLINE_MAX_CHATS)")
	fs.StringVar(&repGrace, "rep-grace", env("HELPLINE_REP_GRACE", c.RepGrace.String()), "how long a representative's console may be gone before their conversations go back to the queue (env HELPLINE_REP_GRACE)")
	fs.StringVar(&visitorGrace, "visitor-grace", env("HELPLINE_VISITOR_GRACE", c.VisitorGrace.String()), "how long a waiting visitor may be gone before they leave the queue (env HELPLINE_VISITOR_GRACE)")
	fs.StringVar(&visitorRejoin, "visitor-rejoin", env("HELPLINE_VISITOR_REJOIN", c.VisitorRejoin.String()), "how long after leaving the queue a visitor who comes back gets their old place (env HELPLINE_VISITOR_REJOIN)")
	proxies := env("HELPLINE_TRUSTED_PROXIES", "")
	if proxies == "" && getenv("HELPLINE_TRUST_PROXY") == "true" {
		proxies = "1" // the older setting: one load balancer
	}
	if proxies == "" {
		proxies = "0"
	}
	fs.StringVar(&proxies, "trusted-proxies", proxies, "how many proxies in front of the service append to X-Forwarded-For (env HELPLINE_TRUSTED_PROXIES; HELPLINE_TRUST_PROXY=true means 1)")
	fs.StringVar(&c.DebugAddr, "debug-addr", env("HELPLINE_DEBUG_ADDR", ""), "serve the Go profiler on this `address` (e.g. 127.0.0.1:6060; env HELPLINE_DEBUG_ADDR)")
	fs.StringVar(&c.LogFormat, "log-format", env("HELPLINE_LOG_FORMAT", c.LogFormat), "json or text (env HELPLINE_LOG_FORMAT)")
	fs.StringVar(&grace, "shutdown-grace", env("HELPLINE_SHUTDOWN_GRACE", c.ShutdownGrace.String()), "how long shutdown waits for connections (env HELPLINE_SHUTDOWN_GRACE)")
	c.LLM.APIKey = getenv("HELPLINE_LLM_API_KEY") // environment only: a flag would show it
	fs.StringVar(&c.LLM.BaseURL, "llm-base-url", env("HELPLINE_LLM_BASE_URL", ""), "OpenAI-compatible endpoint `URL`, e.g. http://127.0.0.1:8000/v1; the model is off unless this or HELPLINE_LLM_API_KEY is set (env HELPLINE_LLM_BASE_URL)")
	fs.StringVar(&c.LLM.Model, "llm-model", env("HELPLINE_LLM_MODEL", ""), "chat model `name` (env HELPLINE_LLM_MODEL)")
	fs.StringVar(&c.LLM.EmbeddingModel, "llm-embedding-model", env("HELPLINE_LLM_EMBEDDING_MODEL", ""), "embedding model `name`; empty means no embeddings (env HELPLINE_LLM_EMBEDDING_MODEL)")
	fs.StringVar(&llmTimeout, "llm-timeout", env("HELPLINE_LLM_TIMEOUT", c.LLM.Timeout.String()), "longest wait for the model; then the curated answer is used (env HELPLINE_LLM_TIMEOUT)")
	fs.StringVar(&llmRate, "llm-requests-per-minute", env("HELPLINE_LLM_REQUESTS_PER_MINUTE", strconv.Itoa(c.LLM.RequestsPerMinute)), "most chat-model requests per minute from this instance (embedding requests are not counted) (env HELPLINE_LLM_REQUESTS_PER_MINUTE)")
	fs.StringVar(&llmTokens, "llm-monthly-tokens", env("HELPLINE_LLM_MONTHLY_TOKENS", strconv.FormatInt(c.LLM.MonthlyTokens, 10)), "most chat-model tokens per calendar month from this instance (embeddings are not counted); 0 means no limit (env HELPLINE_LLM_MONTHLY_TOKENS)")
	fs.StringVar(&llmTranscripts, "llm-transcripts", env("HELPLINE_LLM_TRANSCRIPTS", "false"), "send the visitor's earlier messages (masked) with the question; false sends only the current question (env HELPLINE_LLM_TRANSCRIPTS)")
	if err := fs.Parse(args); err != nil {
		return c, fmt.Errorf("%w: %w", ErrFlags, err)
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("%w: unexpected argument %q", ErrFlags, fs.Arg(0))
	}

	var errs []error
	bad := func(setting string, err error) { errs = append(errs, fmt.Errorf("%s: %w", setting, err)) }
	var err error
	if c.Retention, err = parseDays(retention); err != nil || c.Retention < time.Minute {
		bad("retention (HELPLINE_RETENTION)", errOr(err, "must be at least 1m"))
	}
	if c.MaxMessage, err = positive(maxMessage); err != nil {
		bad("max-message (HELPLINE_MAX_MESSAGE)", err)
	}
	if c.RatePerConversation, err = positive(ratePerConv); err != nil {
		bad("rate-conversation (HELPLINE_RATE_CONVERSATION)", err)
	}
	if c.RatePerAddress, err = positive(ratePerAddr); err != nil {
		bad("rate-address (HELPLINE_RATE_ADDRESS)", err)
	}
	if c.ShutdownGrace, err = time.ParseDuration(grace); err != nil || c.ShutdownGrace < 0 {
		bad("shutdown-grace (HELPLINE_SHUTDOWN_GRACE)", errOr(err, "must not be negative"))
	}
	if c.TrustedProxies, err = strconv.Atoi(proxies); err != nil || c.TrustedProxies < 0 || c.TrustedProxies > 10 {
		bad("trusted-proxies (HELPLINE_TRUSTED_PROXIES)", fmt.Errorf("%q is not a number of proxies from 0 to 10", proxies))
	}
	if c.MaxChats, err = positive(maxChats); err != nil {
		bad("max-chats (HELPLINE_MAX_CHATS)", err)
	}
	if c.RepGrace, err = time.ParseDuration(repGrace); err != nil || c.RepGrace < 10*time.Second {
		bad("rep-grace (HELPLINE_REP_GRACE)", errOr(err, "must be at least 10s"))
	}
	if c.VisitorGrace, err = time.ParseDuration(visitorGrace); err != nil || c.VisitorGrace < 30*time.Second {
		bad("visitor-grace (HELPLINE_VISITOR_GRACE)", errOr(err, "must be at least 30s"))
	}
	if c.VisitorRejoin, err = time.ParseDuration(visitorRejoin); err != nil || c.VisitorRejoin < c.VisitorGrace {
		bad("visitor-rejoin (HELPLINE_VISITOR_REJOIN)", errOr(err, "must be at least the visitor grace"))
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("addr (HELPLINE_ADDR)", err)
	}
	if err := checkRedis(c.RedisURL); err != nil {
		bad("redis (REDIS_URL)", err)
	}
	for _, o := range strings.Split(origins, ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		if o != "*" {
			u, err := url.Parse(o)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
				bad("origins (HELPLINE_ORIGINS)", fmt.Errorf("%q is not an origin like https://helpline.example", o))
				continue
			}
			o = u.Scheme + "://" + u.Host
		}
		c.Origins = append(c.Origins, o)
	}
	if loc, err := time.LoadLocation(c.TimeZone); err != nil {
		bad("timezone (HELPLINE_TIMEZONE)", err)
	} else if _, err := handoff.ParseSchedule(c.ChatHours, loc); err != nil {
		bad("chat-hours (HELPLINE_CHAT_HOURS)", err)
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		bad("log-format (HELPLINE_LOG_FORMAT)", errors.New("must be json or text"))
	}
	for name, v := range map[string]string{"name (HELPLINE_NAME)": c.Facts.HelplineName, "phone (HELPLINE_PHONE)": c.Facts.Phone, "hours (HELPLINE_HOURS)": c.Facts.Hours} {
		if strings.TrimSpace(v) == "" {
			bad(name, errors.New("must not be empty"))
		}
	}
	checkLLM(&c.LLM, llmTimeout, llmRate, llmTokens, llmTranscripts, bad)
	return c, errors.Join(errs...)
}

// LoadLLM reads the language model's settings from the environment
// alone, with the same defaults and checks as Load, for the commands
// other than serve (helpline kb eval --llm).
func LoadLLM(getenv func(string) string) (LLM, error) {
	d := Default().LLM
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	l := LLM{APIKey: getenv("HELPLINE_LLM_API_KEY"), BaseURL: getenv("HELPLINE_LLM_BASE_URL"),
		Model: getenv("HELPLINE_LLM_MODEL"), EmbeddingModel: getenv("HELPLINE_LLM_EMBEDDING_MODEL")}
	var errs []error
	checkLLM(&l, env("HELPLINE_LLM_TIMEOUT", d.Timeout.String()), env("HELPLINE_LLM_REQUESTS_PER_MINUTE", strconv.Itoa(d.RequestsPerMinute)),
		env("HELPLINE_LLM_MONTHLY_TOKENS", strconv.FormatInt(d.MonthlyTokens, 10)), env("HELPLINE_LLM_TRANSCRIPTS", "false"),
		func(setting string, err error) { errs = append(errs, fmt.Errorf("%s: %w", setting, err)) })
	return l, errors.Join(errs...)
}

// checkLLM parses and checks the language model's settings. They are
// checked only when the model is on, so a stray setting never stops a
// service that does not use it.
func checkLLM(l *LLM, timeout, rate, tokens, transcripts string, bad func(string, error)) {
	var err error
	if l.Timeout, err = time.ParseDuration(timeout); err != nil || l.Timeout < 100*time.Millisecond || l.Timeout > 2*time.Minute {
		bad("llm-timeout (HELPLINE_LLM_TIMEOUT)", errOr(err, "must be from 100ms to 2m"))
	}
	if l.RequestsPerMinute, err = positive(rate); err != nil {
		bad("llm-requests-per-minute (HELPLINE_LLM_REQUESTS_PER_MINUTE)", err)
	}
	if l.MonthlyTokens, err = strconv.ParseInt(tokens, 10, 64); err != nil || l.MonthlyTokens < 0 {
		bad("llm-monthly-tokens (HELPLINE_LLM_MONTHLY_TOKENS)", fmt.Errorf("%q is not a number of tokens (0 for no limit)", tokens))
	}
	if l.Transcripts, err = strconv.ParseBool(transcripts); err != nil {
		bad("llm-transcripts (HELPLINE_LLM_TRANSCRIPTS)", fmt.Errorf("%q is not true or false", transcripts))
	}
	if !l.On() {
		return
	}
	if l.BaseURL == "" {
		l.BaseURL = DefaultOpenAIURL
	}
	// The error never quotes the URL: it may carry a credential.
	if u, err := url.Parse(l.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("llm-base-url (HELPLINE_LLM_BASE_URL)", errors.New("is not an http:// or https:// URL such as http://127.0.0.1:8000/v1"))
	}
	// An endpoint with only an embedding model ranks by meaning and
	// writes nothing; one with neither model does nothing at all.
	if strings.TrimSpace(l.Model) == "" && strings.TrimSpace(l.EmbeddingModel) == "" {
		bad("llm-model (HELPLINE_LLM_MODEL)", errors.New("must be set when the language model is on (HELPLINE_LLM_API_KEY or HELPLINE_LLM_BASE_URL), unless HELPLINE_LLM_EMBEDDING_MODEL is"))
	}
}

// parseDays parses a duration that may also be given in days ("30d").
func parseDays(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a number of days", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

func positive(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a positive whole number", s)
	}
	return n, nil
}

func errOr(err error, msg string) error {
	if err != nil {
		return err
	}
	return errors.New(msg)
}

// checkRedis accepts an empty value (embedded), a redis:// or rediss://
// URL, a redis+cluster:// or rediss+cluster:// URL (checked in full when the
// service connects), or a comma-separated list of host:port addresses.
func checkRedis(s string) error {
	if s == "" {
		return nil
	}
	if strings.HasPrefix(s, "redis+cluster://") || strings.HasPrefix(s, "rediss+cluster://") {
		return nil
	}
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil {
			return err
		}
		if u.Scheme != "redis" && u.Scheme != "rediss" {
			return fmt.Errorf("scheme %q: use redis://, rediss://, redis+cluster:// or rediss+cluster://", u.Scheme)
		}
		return nil
	}
	for _, addr := range strings.Split(s, ",") {
		if _, _, err := net.SplitHostPort(strings.TrimSpace(addr)); err != nil {
			return fmt.Errorf("%q: %w", addr, err)
		}
	}
	return nil
}
