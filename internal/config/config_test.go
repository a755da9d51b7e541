package config

import (
	"errors"
	"io"
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
