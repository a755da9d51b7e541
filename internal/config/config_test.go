package config

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load("serve", nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.RedisURL != "" || c.Retention != 30*24*time.Hour || c.MaxMessage != 2000 || c.LogFormat != "json" {
		t.Errorf("defaults %+v", c)
	}
}

func TestFlagsOverEnvironment(t *testing.T) {
	c, err := Load("serve", []string{"--retention", "72h", "--origins", "https://a.example/, https://b.example"},
		env(map[string]string{"HELPLINE_RETENTION": "7d", "REDIS_URL": "rediss://redis.example:6380/1", "HELPLINE_PHONE": "555-0100", "HELPLINE_TRUST_PROXY": "true"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Retention != 72*time.Hour || c.RedisURL != "rediss://redis.example:6380/1" || c.Facts.Phone != "555-0100" || c.TrustedProxies != 1 {
		t.Errorf("got %+v", c)
	}
	if len(c.Origins) != 2 || c.Origins[0] != "https://a.example" {
		t.Errorf("origins %q", c.Origins)
	}
	// The number of proxies wins over the older yes/no setting.
	c, err = Load("serve", nil, env(map[string]string{"HELPLINE_TRUSTED_PROXIES": "2", "HELPLINE_TRUST_PROXY": "true"}), io.Discard)
	if err != nil || c.TrustedProxies != 2 {
		t.Errorf("HELPLINE_TRUSTED_PROXIES=2: %d, %v", c.TrustedProxies, err)
	}
}

// TestErrorsNameTheSetting: an operator reading the error knows what to fix.
func TestErrorsNameTheSetting(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"HELPLINE_RETENTION": "forever"}, "HELPLINE_RETENTION"},
		{map[string]string{"HELPLINE_MAX_MESSAGE": "-3"}, "HELPLINE_MAX_MESSAGE"},
		{map[string]string{"REDIS_URL": "http://redis:6379"}, "REDIS_URL"},
		{map[string]string{"HELPLINE_ORIGINS": "helpline.example"}, "HELPLINE_ORIGINS"},
		{map[string]string{"HELPLINE_TIMEZONE": "Mars/Olympus"}, "HELPLINE_TIMEZONE"},
		{map[string]string{"HELPLINE_ADDR": "8080"}, "HELPLINE_ADDR"},
		{map[string]string{"HELPLINE_LOG_FORMAT": "xml"}, "HELPLINE_LOG_FORMAT"},
		{map[string]string{"HELPLINE_CHAT_HOURS": "weekdays 9-5"}, "HELPLINE_CHAT_HOURS"},
		{map[string]string{"HELPLINE_CHAT_HOURS": "mon-fri 09:00-17:60"}, "HELPLINE_CHAT_HOURS"},
		{map[string]string{"HELPLINE_MAX_CHATS": "0"}, "HELPLINE_MAX_CHATS"},
		{map[string]string{"HELPLINE_REP_GRACE": "1s"}, "HELPLINE_REP_GRACE"},
		{map[string]string{"HELPLINE_TRUSTED_PROXIES": "yes"}, "HELPLINE_TRUSTED_PROXIES"},
		{map[string]string{"HELPLINE_TRUSTED_PROXIES": "-1"}, "HELPLINE_TRUSTED_PROXIES"},
	}
	for _, tt := range tests {
		_, err := Load("serve", nil, env(tt.env), io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("env %v: error %v, want one naming %s", tt.env, err, tt.want)
		}
	}
	_, err := Load("serve", []string{"--bogus"}, env(nil), io.Discard)
	if !errors.Is(err, ErrFlags) {
		t.Errorf("unknown flag: %v", err)
	}
}

func TestLLMOffByDefault(t *testing.T) {
	c, err := Load("serve", nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.LLM.On() || c.LLM.String() != "off" {
		t.Errorf("LLM %v, want off", c.LLM)
	}
	// A stray model name alone does not turn it on.
	c, err = Load("serve", nil, env(map[string]string{"HELPLINE_LLM_MODEL": "m"}), io.Discard)
	if err != nil || c.LLM.On() {
		t.Errorf("model alone: on %v, err %v", c.LLM.On(), err)
	}
}

func TestLLMSettings(t *testing.T) {
	const key = "sk-secret-do-not-print"
	var usage strings.Builder
	c, err := Load("serve", []string{"--llm-timeout", "3s"}, env(map[string]string{
		"HELPLINE_LLM_API_KEY": key, "HELPLINE_LLM_MODEL": "gpt-x", "HELPLINE_LLM_REQUESTS_PER_MINUTE": "5",
		"HELPLINE_LLM_MONTHLY_TOKENS": "1000", "HELPLINE_LLM_TRANSCRIPTS": "true", "HELPLINE_LLM_EMBEDDING_MODEL": "emb",
	}), &usage)
	if err != nil {
		t.Fatal(err)
	}
	l := c.LLM
	if !l.On() || l.APIKey != key || l.BaseURL != DefaultOpenAIURL || l.Model != "gpt-x" || l.EmbeddingModel != "emb" ||
		l.Timeout != 3*time.Second || l.RequestsPerMinute != 5 || l.MonthlyTokens != 1000 || !l.Transcripts {
		t.Errorf("got %+v", l)
	}
	// The key never shows: not in the description, the log value or the usage text.
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("start", "llm", l)
	for what, s := range map[string]string{"String": l.String(), "log": logged.String(), "fmt": fmt.Sprint(l)} {
		if strings.Contains(s, key) {
			t.Errorf("%s shows the key: %s", what, s)
		}
	}
	_, _ = Load("serve", []string{"-h"}, env(map[string]string{"HELPLINE_LLM_API_KEY": key}), &usage)
	if strings.Contains(usage.String(), key) || !strings.Contains(usage.String(), "llm-base-url") {
		t.Errorf("usage shows the key or lacks the settings:\n%s", usage.String())
	}
	// A local server needs no key.
	c, err = Load("serve", nil, env(map[string]string{"HELPLINE_LLM_BASE_URL": "http://127.0.0.1:8000/v1", "HELPLINE_LLM_MODEL": "llama"}), io.Discard)
	if err != nil || !c.LLM.On() || c.LLM.APIKey != "" || c.LLM.String() != "on (http://127.0.0.1:8000, model llama, no key)" {
		t.Errorf("local: %v, %v", c.LLM, err)
	}
}

func TestLLMErrorsNameTheSetting(t *testing.T) {
	on := func(m map[string]string) map[string]string {
		m["HELPLINE_LLM_BASE_URL"] = cmp.Or(m["HELPLINE_LLM_BASE_URL"], "http://127.0.0.1:8000/v1")
		if _, ok := m["HELPLINE_LLM_MODEL"]; !ok {
			m["HELPLINE_LLM_MODEL"] = "m"
		}
		return m
	}
	tests := []struct {
		env  map[string]string
		want string
	}{
		{on(map[string]string{"HELPLINE_LLM_MODEL": ""}), "HELPLINE_LLM_MODEL"},
		{on(map[string]string{"HELPLINE_LLM_BASE_URL": "127.0.0.1:8000"}), "HELPLINE_LLM_BASE_URL"},
		{on(map[string]string{"HELPLINE_LLM_TIMEOUT": "1h"}), "HELPLINE_LLM_TIMEOUT"},
		{on(map[string]string{"HELPLINE_LLM_REQUESTS_PER_MINUTE": "0"}), "HELPLINE_LLM_REQUESTS_PER_MINUTE"},
		{on(map[string]string{"HELPLINE_LLM_MONTHLY_TOKENS": "-1"}), "HELPLINE_LLM_MONTHLY_TOKENS"},
		{on(map[string]string{"HELPLINE_LLM_TRANSCRIPTS": "sometimes"}), "HELPLINE_LLM_TRANSCRIPTS"},
	}
	for _, tt := range tests {
		_, err := Load("serve", nil, env(tt.env), io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("env %v: error %v, want one naming %s", tt.env, err, tt.want)
		}
	}
	// An endpoint URL may carry a credential: the error does not quote it.
	_, err := Load("serve", nil, env(on(map[string]string{"HELPLINE_LLM_BASE_URL": "ftp://user:hunter2@x"})), io.Discard)
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("bad URL error %v", err)
	}
}

func TestLoadLLM(t *testing.T) {
	l, err := LoadLLM(env(nil))
	if err != nil || l.On() || l.Timeout != 8*time.Second {
		t.Errorf("off: %+v, %v", l, err)
	}
	l, err = LoadLLM(env(map[string]string{"HELPLINE_LLM_BASE_URL": "http://127.0.0.1:9/v1", "HELPLINE_LLM_MODEL": "m", "HELPLINE_LLM_REQUESTS_PER_MINUTE": "7"}))
	if err != nil || !l.On() || l.RequestsPerMinute != 7 || l.Model != "m" {
		t.Errorf("on: %+v, %v", l, err)
	}
	if _, err := LoadLLM(env(map[string]string{"HELPLINE_LLM_BASE_URL": "http://127.0.0.1:9/v1"})); err == nil || !strings.Contains(err.Error(), "HELPLINE_LLM_MODEL") {
		t.Errorf("no model: %v", err)
	}
}
