package conversation

import (
	"sort"
	"time"
)

// Priority orders the queue: emergencies first, then urgent risks, then
// everyone else; within a priority, whoever has waited longest.
type Priority string

// The priorities.
const (
	PriorityEmergency Priority = "emergency"
	PriorityUrgent    Priority = "urgent"
	PriorityNormal    Priority = "normal"
)

// PriorityOf maps a risk level to a queue priority.
func PriorityOf(riskLevel string) Priority {
	switch riskLevel {
	case "emergency":
		return PriorityEmergency
	case "urgent":
		return PriorityUrgent
	}
	return PriorityNormal
}

// Rank is the priority's place in the queue's order, from 1 (served
// first); a priority not known ranks with the normal ones.
func (p Priority) Rank() int {
	switch p {
	case PriorityEmergency:
		return 1
	case PriorityUrgent:
		return 2
	}
	return 3
}

// HandoffStatus is what asking for a person did.
type HandoffStatus string

// The outcomes of asking for a person.
const (
	Queued        HandoffStatus = "ok"      // now waiting
	AlreadyQueued HandoffStatus = "waiting" // was waiting; kept its place
	AlreadyHeld   HandoffStatus = "held"    // a representative has it
)

// Rejoined says where a visitor who came back to the queue was put.
type Rejoined string

// The outcomes of rejoining the queue.
const (
	NotLeft Rejoined = ""      // the conversation had not left the line
	AtPlace Rejoined = "place" // back at the place they had
	AtEnd   Rejoined = "end"   // away too long: at the end of the line
)

// QueueItem is one waiting conversation.
type QueueItem struct {
	Conv     string
	Priority Priority
	Queued   time.Time
	Reason   string
	RiskKind string
}

// HandoffInfo is what a representative's summary needs beyond messages.
type HandoffInfo struct {
	Reason   string
	Priority Priority
	Queued   time.Time
	Claimed  time.Time
	Holder   string
	Evidence []string
	Details  map[string]string
	Outcome  string
}

// EstimateWait estimates how long the visitor at position pos will wait:
// the median of recent waits, once per turn of the available
// representatives. With no history it returns zero (unknown).
func EstimateWait(recent []time.Duration, pos, available int) time.Duration {
	if len(recent) == 0 || pos <= 0 {
		return 0
	}
	sorted := append([]time.Duration(nil), recent...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	median := sorted[len(sorted)/2]
	turns := (pos + max(available, 1) - 1) / max(available, 1)
	return median * time.Duration(turns)
}
