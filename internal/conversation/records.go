package conversation

import "time"

// What representatives keep beside the conversations: private notes,
// callback and insurance requests, the audit of what they did, and the
// canned replies supervisors write.

// Note is a representative's private note.
type Note struct {
	ID   string    `json:"id"`
	Time time.Time `json:"time"`
	Rep  string    `json:"rep"`
	Text string    `json:"text"`
}

// Request is a callback or insurance-check request.
type Request struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"` // callback or insurance
	Conv     string    `json:"conversation"`
	Time     time.Time `json:"time"`
	Name     string    `json:"name,omitempty"`
	Phone    string    `json:"phone,omitempty"`
	BestTime string    `json:"best_time,omitempty"`
	Insurer  string    `json:"insurer,omitempty"`
	State    string    `json:"state,omitempty"`
}

// AuditEntry is one line of the audit of what representatives did.
type AuditEntry struct {
	ID, Rep, Action, Conv, Detail string
	Time                          time.Time
}

// CannedReply is a text supervisors write for representatives to insert
// into a reply (never sent by itself).
type CannedReply struct {
	ID      string    `json:"id"`
	Title   string    `json:"title"`
	Text    string    `json:"text"`
	Updated time.Time `json:"updated"`
	// By is the supervisor who wrote it last.
	By string `json:"by"`
}
