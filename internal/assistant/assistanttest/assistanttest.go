// Package assistanttest is a stand-in for a language model: a local
// httptest server that speaks OpenAI's chat-completions API, for tests
// that drive the real go-openai client without reaching any network.
package assistanttest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Reply is what the stand-in answers to one request.
type Reply struct {
	// Text is the reply's content.
	Text string
	// Status, when not 0 or 200, answers with that HTTP status and an
	// API error instead.
	Status int
	// Delay waits this long before answering (or until the client gives
	// up).
	Delay time.Duration
	// FinishReason defaults to "stop".
	FinishReason openai.FinishReason
	// Raw, when set, is written as the response body as it is, e.g. to
	// answer with malformed JSON.
	Raw string
	// PromptTokens and ReplyTokens are the usage reported.
	PromptTokens, ReplyTokens int
	// For a streamed request: ChunkDelay waits between chunks; Cut ends
	// the stream after half the text, without a finish reason or the
	// closing [DONE], as a dropped connection would; Garbage sends a chunk
	// that is not JSON after half the text.
	ChunkDelay   time.Duration
	Cut, Garbage bool
}

// Server is the stand-in endpoint. Its base URL for go-openai is URL().
type Server struct {
	*httptest.Server
	reply func(openai.ChatCompletionRequest) Reply

	mu       sync.Mutex
	requests []openai.ChatCompletionRequest
}

// NewServer starts a stand-in that answers every chat-completions request
// with reply(request). Close it when done.
func NewServer(reply func(openai.ChatCompletionRequest) Reply) *Server {
	s := &Server{reply: reply}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.chat)
	s.Server = httptest.NewServer(mux)
	return s
}

// URL is the base URL to give go-openai.
func (s *Server) URL() string { return s.Server.URL + "/v1" }

// Requests returns the requests received so far.
func (s *Server) Requests() []openai.ChatCompletionRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]openai.ChatCompletionRequest(nil), s.requests...)
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	var req openai.ChatCompletionRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, `{"error":{"message":"bad request","type":"invalid_request_error"}}`, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	s.mu.Unlock()
	rep := s.reply(req)
	if rep.Delay > 0 {
		select {
		case <-time.After(rep.Delay):
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	if rep.Raw != "" {
		w.Write([]byte(rep.Raw))
		return
	}
	if rep.Status != 0 && rep.Status != http.StatusOK {
		w.WriteHeader(rep.Status)
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": http.StatusText(rep.Status), "type": "server_error"}})
		return
	}
	finish := rep.FinishReason
	if finish == "" {
		finish = openai.FinishReasonStop
	}
	if req.Stream {
		s.stream(w, r, req, rep, finish)
		return
	}
	prompt := rep.PromptTokens
	if prompt == 0 {
		for _, m := range req.Messages {
			prompt += len(m.Content) / 4
		}
	}
	completion := rep.ReplyTokens
	if completion == 0 {
		completion = len(rep.Text)/4 + 1
	}
	json.NewEncoder(w).Encode(openai.ChatCompletionResponse{
		ID: "chatcmpl-standin", Object: "chat.completion", Created: time.Now().Unix(), Model: req.Model,
		Choices: []openai.ChatCompletionChoice{{Message: openai.ChatCompletionMessage{Role: openai.ChatMessageRoleAssistant, Content: rep.Text}, FinishReason: finish}},
		Usage:   openai.Usage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion},
	})
}

// stream answers a streamed request as OpenAI does: server-sent events,
// one chunk of a few words each, the finish reason on the last, the usage
// after it when asked for, then [DONE].
func (s *Server) stream(w http.ResponseWriter, r *http.Request, req openai.ChatCompletionRequest, rep Reply, finish openai.FinishReason) {
	w.Header().Set("Content-Type", "text/event-stream")
	flusher, _ := w.(http.Flusher)
	send := func(v any) {
		b, _ := json.Marshal(v)
		w.Write([]byte("data: " + string(b) + "\n\n"))
		if flusher != nil {
			flusher.Flush()
		}
	}
	chunk := func(text string, finish openai.FinishReason) openai.ChatCompletionStreamResponse {
		return openai.ChatCompletionStreamResponse{ID: "chatcmpl-standin", Object: "chat.completion.chunk", Created: time.Now().Unix(), Model: req.Model,
			Choices: []openai.ChatCompletionStreamChoice{{Delta: openai.ChatCompletionStreamChoiceDelta{Content: text}, FinishReason: finish}}}
	}
	words := strings.SplitAfter(rep.Text, " ")
	for i, word := range words {
		if (rep.Cut || rep.Garbage) && i >= len(words)/2 {
			if rep.Garbage {
				w.Write([]byte("data: {\"choices\": [\n\n"))
				if flusher != nil {
					flusher.Flush()
				}
			}
			return
		}
		if rep.ChunkDelay > 0 {
			select {
			case <-time.After(rep.ChunkDelay):
			case <-r.Context().Done():
				return
			}
		}
		send(chunk(word, ""))
	}
	send(chunk("", finish))
	if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
		prompt := 0
		for _, m := range req.Messages {
			prompt += len(m.Content) / 4
		}
		completion := len(rep.Text)/4 + 1
		send(openai.ChatCompletionStreamResponse{ID: "chatcmpl-standin", Object: "chat.completion.chunk", Model: req.Model,
			Choices: []openai.ChatCompletionStreamChoice{}, Usage: &openai.Usage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion}})
	}
	w.Write([]byte("data: [DONE]\n\n"))
	if flusher != nil {
		flusher.Flush()
	}
}

// Entry is a knowledge-base entry as the stand-in read it from a prompt.
type Entry struct {
	ID, Title, Text string
}

var entryBlock = regexp.MustCompile(`(?s)<<entry id="([^"]*)" title="([^"]*)">>\n(.*?)\n<<end entry>>`)
var visitorBlock = regexp.MustCompile(`(?s)<<visitor>>\n(.*?)\n<<end visitor>>`)

// Entries returns the entries a request's prompt gives, in order.
func Entries(req openai.ChatCompletionRequest) []Entry {
	var out []Entry
	for _, m := range req.Messages {
		for _, e := range entryBlock.FindAllStringSubmatch(m.Content, -1) {
			out = append(out, Entry{ID: e[1], Title: e[2], Text: e[3]})
		}
	}
	return out
}

// Visitor returns the visitor's message as a request's prompt carries it.
func Visitor(req openai.ChatCompletionRequest) string {
	for _, m := range req.Messages {
		if v := visitorBlock.FindStringSubmatch(m.Content); v != nil {
			return v[1]
		}
	}
	return ""
}

// Grounded is a well-behaved model: it answers with the first sentence of
// the first entry it was given, and cites that entry.
func Grounded(req openai.ChatCompletionRequest) Reply {
	es := Entries(req)
	if len(es) == 0 {
		return Reply{Text: "I'm not sure."}
	}
	text := es[0].Text
	if i := strings.IndexAny(text, ".!?"); i >= 0 {
		text = text[:i+1]
	}
	text = strings.Join(strings.Fields(text), " ")
	return Reply{Text: text + "\nSOURCES: " + es[0].ID}
}

// Turn is one turn of a transcript as the stand-in read it from the
// prompt of a summary or a draft.
type Turn struct {
	From, Text string
}

var turnBlock = regexp.MustCompile(`(?s)<<turn from=([a-z]+)>>\n(.*?)\n<<end turn>>`)

// Turns returns the transcript turns a request's prompt gives, in order.
func Turns(req openai.ChatCompletionRequest) []Turn {
	var out []Turn
	for _, m := range req.Messages {
		for _, t := range turnBlock.FindAllStringSubmatch(m.Content, -1) {
			out = append(out, Turn{From: t[1], Text: t[2]})
		}
	}
	return out
}
