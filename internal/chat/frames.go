package chat

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// Version is the protocol version this server speaks (docs/protocol.md).
const Version = 1

// The client frame types.
const (
	typeHello     = "hello"
	typeMessage   = "message"
	typeChoose    = "choose"
	typePerson    = "person"
	typeEnd       = "end"
	typeDelete    = "delete"
	typePing      = "ping"
	typeCallback  = "callback"
	typeInsurance = "insurance"
	typeTyping    = "typing"
)

// clientFrame is a frame from the widget.
type clientFrame struct {
	V     int    `json:"v"`
	Type  string `json:"type"`
	Token string `json:"token"`
	Last  string `json:"last"`
	ID    string `json:"id"`
	Text  string `json:"text"`
	Entry string `json:"entry"`
	// A callback request.
	Name     string `json:"name"`
	Phone    string `json:"phone"`
	BestTime string `json:"best_time"`
	Consent  bool   `json:"consent"`
	// An insurance check.
	Insurer string `json:"insurer"`
	State   string `json:"state"`
}

// Error codes of error frames.
const (
	codeBadFrame    = "bad_frame"
	codeUnknownType = "unknown_type"
	codeBadVersion  = "bad_version"
	codeNotReady    = "not_ready"
	codeInvalidText = "invalid_text"
	codeUnknown     = "unknown_entry"
	codeRateLimited = "rate_limited"
	codeClosed      = "closed"
	codeInvalidForm = "invalid_form"
	codeInternal    = "internal"
	// codeUnavailable: the service cannot reach its store; the connection
	// closes (1013) and the client reconnects.
	codeUnavailable = "unavailable"
)

// frameError is a problem with a client frame, answered with an error
// frame; the connection stays open.
type frameError struct {
	code, msg string
}

func (e *frameError) Error() string { return e.code + ": " + e.msg }

const maxClientID = 100

// decodeFrame parses and checks one client frame. maxText is the longest
// message text in characters.
func decodeFrame(data []byte, maxText int) (clientFrame, error) {
	var f clientFrame
	if !utf8.Valid(data) {
		return f, &frameError{codeInvalidText, "The message is not valid text (UTF-8)."}
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return f, &frameError{codeBadFrame, "That frame is not a JSON object."}
	}
	if f.V != Version {
		return f, &frameError{codeBadVersion, "Unsupported protocol version; please reload the page."}
	}
	switch f.Type {
	case typeHello, typeEnd, typeDelete, typePing, typeTyping:
	case typeMessage:
		if err := checkClientID(f.ID); err != nil {
			return f, err
		}
		f.Text = strings.TrimSpace(f.Text)
		if f.Text == "" {
			return f, &frameError{codeInvalidText, "The message is empty."}
		}
		if n := utf8.RuneCountInString(f.Text); n > maxText {
			return f, &frameError{codeInvalidText, "The message is too long; please keep it under " + itoa(maxText) + " characters."}
		}
	case typeChoose:
		if err := checkClientID(f.ID); err != nil {
			return f, err
		}
		if f.Entry == "" || len(f.Entry) > 100 {
			return f, &frameError{codeUnknown, "That choice is not available."}
		}
	case typePerson:
		if err := checkClientID(f.ID); err != nil {
			return f, err
		}
	case typeCallback:
		if err := checkClientID(f.ID); err != nil {
			return f, err
		}
		f.Name, f.BestTime = strings.TrimSpace(f.Name), strings.TrimSpace(f.BestTime)
		digits := 0
		for _, r := range f.Phone {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		switch {
		case !f.Consent:
			return f, &frameError{codeInvalidForm, "Please tick the box to agree that we may call you at this number."}
		case digits < 7 || digits > 15 || len(f.Phone) > 30:
			return f, &frameError{codeInvalidForm, "Please give a phone number we can call, with its area code."}
		case utf8.RuneCountInString(f.Name) > 60 || utf8.RuneCountInString(f.BestTime) > 100:
			return f, &frameError{codeInvalidForm, "Please keep the name and the best time short."}
		}
	case typeInsurance:
		if err := checkClientID(f.ID); err != nil {
			return f, err
		}
		f.Insurer, f.State = strings.TrimSpace(f.Insurer), strings.TrimSpace(f.State)
		if f.Insurer == "" || utf8.RuneCountInString(f.Insurer) > 80 || utf8.RuneCountInString(f.State) > 40 {
			return f, &frameError{codeInvalidForm, "Please give the name of your insurance company (and your state)."}
		}
	case "":
		return f, &frameError{codeBadFrame, "The frame has no type."}
	default:
		return f, &frameError{codeUnknownType, "Unknown frame type."}
	}
	return f, nil
}

func checkClientID(id string) error {
	if id == "" || len(id) > maxClientID {
		return &frameError{codeBadFrame, "The message needs an id of at most 100 characters."}
	}
	return nil
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// Server frames.

type welcomeFrame struct {
	V            int    `json:"v"`
	Type         string `json:"type"`
	Conversation string `json:"conversation"`
	Token        string `json:"token"`
	State        string `json:"state"`
	Resumed      bool   `json:"resumed"`
}

type messageFrame struct {
	V            int             `json:"v"`
	Type         string          `json:"type"`
	ID           string          `json:"id"`
	Time         string          `json:"time"`
	From         string          `json:"from"`
	Text         string          `json:"text"`
	HTML         string          `json:"html,omitempty"`
	ClientID     string          `json:"client_id,omitempty"`
	Kind         string          `json:"kind,omitempty"`
	Entries      []string        `json:"entries,omitempty"`
	Options      json.RawMessage `json:"options,omitempty"`
	Alternatives json.RawMessage `json:"alternatives,omitempty"`
	OfferPerson  bool            `json:"offer_person,omitempty"`
	Risk         *riskFrame      `json:"risk,omitempty"`
	Forms        []string        `json:"forms,omitempty"`
	Rep          string          `json:"rep,omitempty"`
	// FollowUp marks the short reply to a further message in a crisis
	// already answered: the steps of the first reply still hold.
	FollowUp bool `json:"follow_up,omitempty"`
	// Generated marks an answer the language model wrote, checked, from
	// the entries it cites (id and title); it has no html, and replaces
	// the delta frames of the visitor message ReplyTo.
	Generated bool            `json:"generated,omitempty"`
	Cites     json.RawMessage `json:"cites,omitempty"`
	ReplyTo   string          `json:"reply_to,omitempty"`
}

// deltaFrame is a piece of a generated answer as it is written, to append
// to the answer to the visitor message ReplyTo; the whole answer follows
// as a message frame.
type deltaFrame struct {
	V       int    `json:"v"`
	Type    string `json:"type"`
	ReplyTo string `json:"reply_to"`
	Text    string `json:"text"`
}

type riskFrame struct {
	Kind  string `json:"kind"`
	Level string `json:"level"`
}

type typingFrame struct {
	V    int    `json:"v"`
	Type string `json:"type"`
	From string `json:"from"`
	Name string `json:"name,omitempty"`
}

type queueFrame struct {
	V           int    `json:"v"`
	Type        string `json:"type"`
	Position    int    `json:"position"`
	WaitSeconds int    `json:"wait_seconds"`
	// Reason says why the place got worse, when it did: a code
	// (emergency, urgent, requeued, returned, other) and the words to
	// show the visitor.
	Reason     string `json:"reason,omitempty"`
	ReasonText string `json:"reason_text,omitempty"`
}

type stateFrame struct {
	V     int    `json:"v"`
	Type  string `json:"type"`
	State string `json:"state"`
}

type errorFrame struct {
	V          int    `json:"v"`
	Type       string `json:"type"`
	Code       string `json:"code"`
	Message    string `json:"message"`
	RetryAfter int    `json:"retry_after,omitempty"`
}

type simpleFrame struct {
	V    int    `json:"v"`
	Type string `json:"type"`
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("chat: encode frame: " + err.Error()) // only our own types are encoded
	}
	return b
}

func errFrame(code, msg string, retryAfter int) []byte {
	return encode(errorFrame{V: Version, Type: "error", Code: code, Message: msg, RetryAfter: retryAfter})
}
