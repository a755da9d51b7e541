// Package semantictest is a stand-in for an embedding model: a local
// httptest server that speaks OpenAI's embeddings API, for tests that
// drive the real go-openai client without reaching any network. Its
// vectors are hashed bags of words: texts that share words are close,
// which is enough to prove what the service does with a ranking by
// meaning, and says nothing of how good a real model's ranking is.
package semantictest

import (
	"encoding/json"
	"hash/fnv"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"unicode"

	openai "github.com/sashabaranov/go-openai"
)

// Dimensions is the length of the stand-in's vectors.
const Dimensions = 256

// Server is the stand-in endpoint. Its base URL for go-openai is URL().
type Server struct {
	*httptest.Server

	mu     sync.Mutex
	inputs []string
	calls  int
	// Fail, when set, answers every request with this HTTP status.
	Fail int
}

// NewServer starts a stand-in. Close it when done.
func NewServer() *Server {
	s := &Server{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/embeddings", s.embeddings)
	s.Server = httptest.NewServer(mux)
	return s
}

// URL is the base URL to give go-openai.
func (s *Server) URL() string { return s.Server.URL + "/v1" }

// Calls is the number of requests received, and Inputs every text they
// carried, in order.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// Inputs returns every text embedded so far, in order.
func (s *Server) Inputs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.inputs...)
}

func (s *Server) embeddings(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Input []string `json:"input"`
		Model string   `json:"model"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.calls++
	s.inputs = append(s.inputs, req.Input...)
	fail := s.Fail
	s.mu.Unlock()
	if fail != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(fail)
		w.Write([]byte(`{"error":{"message":"stand-in failure","type":"server_error"}}`))
		return
	}
	res := openai.EmbeddingResponse{Object: "list", Model: openai.EmbeddingModel(req.Model)}
	for i, text := range req.Input {
		res.Data = append(res.Data, openai.Embedding{Object: "embedding", Index: i, Embedding: Vector(text)})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(res)
}

// Vector is the stand-in's vector of text: each word adds one to a
// hashed dimension.
func Vector(text string) []float32 {
	v := make([]float32, Dimensions)
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for _, w := range words {
		h := fnv.New32a()
		h.Write([]byte(w))
		v[h.Sum32()%Dimensions]++
	}
	var n float64
	for _, x := range v {
		n += float64(x * x)
	}
	if n > 0 {
		for i := range v {
			v[i] /= float32(math.Sqrt(n))
		}
	}
	return v
}
