//go:build race

package chat_test

// raceEnabled: the race detector's instrumentation makes every stack
// larger, so stack sizes are not held under it.
const raceEnabled = true
