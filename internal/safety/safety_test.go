package safety

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"helpline/internal/kb"
	"helpline/knowledge"
)

// TestResponsesGolden pins every crisis reply to a reviewed golden file:
// changing a reply means changing its golden file in the same review.
func TestResponsesGolden(t *testing.T) {
	for kind, byLevel := range responses {
		for level := range byLevel {
			golden(t, string(kind)+"-"+string(level), Response(Risk{Kind: kind, Level: level}))
			golden(t, string(kind)+"-"+string(level)+"-offline", ResponseOffline(Risk{Kind: kind, Level: level}))
			golden(t, string(kind)+"-"+string(level)+"-followup", FollowUp(Risk{Kind: kind, Level: level}))
			golden(t, string(kind)+"-"+string(level)+"-followup-offline", FollowUpOffline(Risk{Kind: kind, Level: level}))
		}
	}
}

// TestFollowUps: the reply to a further message in a crisis is short,
// still gives the number for danger to life, never an amount, and exists
// for every reply there is.
func TestFollowUps(t *testing.T) {
	for kind, byLevel := range responses {
		for level := range byLevel {
			r := Risk{Kind: kind, Level: level}
			name := string(kind) + "/" + string(level)
			for _, text := range []string{FollowUp(r), FollowUpOffline(r)} {
				if _, ok := followUpReplies[kind][level]; !ok {
					t.Fatalf("%s: no follow-up", name)
				}
				if !strings.Contains(text, "911") {
					t.Errorf("%s: follow-up without 911:\n%s", name, text)
				}
				if dose.MatchString(text) {
					t.Errorf("%s: follow-up contains an amount", name)
				}
				if n := utf8.RuneCountInString(text); n > 450 || strings.Contains(text, responses[kind][level]) {
					t.Errorf("%s: follow-up of %d characters, or the whole reply again: it must be short", name, n)
				}
			}
			if strings.Contains(FollowUpOffline(r), "a person from our team to join") {
				t.Errorf("%s: offline follow-up promises a person", name)
			}
		}
	}
	if n, full := utf8.RuneCountInString(FollowUp(Risk{Kind: Overdose, Level: Emergency})), utf8.RuneCountInString(Response(Risk{Kind: Overdose, Level: Emergency})); 2*n > full {
		t.Errorf("overdose follow-up of %d characters, the reply %d: not much shorter", n, full)
	}
	for _, level := range []Level{Emergency, Urgent} {
		if !strings.Contains(FollowUp(Risk{Kind: Suicide, Level: level}), "988") {
			t.Errorf("suicide/%s follow-up: no 988", level)
		}
	}
}

// golden compares text with its golden file, or writes it with -update.
func golden(t *testing.T, base, text string) {
	t.Helper()
	name := filepath.Join("testdata", "responses", base+".golden")
	if *update {
		if err := os.WriteFile(name, []byte(text+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if text+"\n" != string(want) {
		t.Errorf("reply differs from %s:\ngot:\n%s\nwant:\n%s", name, text, want)
	}
}

var dose = regexp.MustCompile(`(?i)\b\d+(?:\.\d+)?\s*(?:mg|mcg|ml|milligrams?)\b`)

// TestResponsesContent checks what every reply must and must not say
// (DOMAIN.md §1–3).
func TestResponsesContent(t *testing.T) {
	kinds := []Kind{Overdose, Suicide, SelfHarm, Medical, Abuse}
	for _, kind := range kinds {
		for _, level := range []Level{Emergency, Urgent} {
			text := Response(Risk{Kind: kind, Level: level})
			name := string(kind) + "/" + string(level)
			if text == "" {
				t.Fatalf("%s: no reply", name)
			}
			if !strings.Contains(text, "911") {
				t.Errorf("%s: no 911 for danger to life", name)
			}
			if !strings.Contains(text, "a person from our team") {
				t.Errorf("%s: does not offer a person", name)
			}
			off := ResponseOffline(Risk{Kind: kind, Level: level})
			if strings.Contains(off, "a person from our team to join") || !strings.Contains(off, "911") || !strings.Contains(off, "request") {
				t.Errorf("%s offline: promises a person, or lacks 911 or the request forms:\n%s", name, off)
			}
			if dose.MatchString(text) {
				t.Errorf("%s: contains an amount", name)
			}
			for _, never := range []string{"anonymous", "secret", "we will", "promise"} {
				if strings.Contains(strings.ToLower(text), never) {
					t.Errorf("%s: says %q", name, never)
				}
			}
			if utf8.RuneCountInString(text) > 900 {
				t.Errorf("%s: %d characters; crisis replies must be short", name, utf8.RuneCountInString(text))
			}
		}
	}
	for _, level := range []Level{Emergency, Urgent} {
		if !strings.Contains(Response(Risk{Kind: Suicide, Level: level}), "988") {
			t.Errorf("suicide/%s: no 988", level)
		}
	}
	od := Response(Risk{Kind: Overdose, Level: Emergency})
	for _, step := range []string{"Call 911", "naloxone", "breath", "side", "Stay with them"} {
		if !strings.Contains(od, step) {
			t.Errorf("overdose reply lacks the step %q", step)
		}
	}
	if Response(Risk{Kind: Suicide}) != Response(Risk{Kind: Suicide, Level: Urgent}) {
		t.Error("a risk without a level does not get the urgent reply")
	}
}

type setLine struct {
	Q       string   `json:"q"`
	Context []string `json:"context"`
	Risk    Kind     `json:"risk"`
	Level   Level    `json:"level"`
}

func readSet(t *testing.T, name string) []setLine {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []setLine
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if b := bytes.TrimSpace(sc.Bytes()); len(b) == 0 || b[0] == '#' {
			continue
		}
		var l setLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("%s:%d: %v", name, n, err)
		}
		out = append(out, l)
	}
	return out
}

// TestSafetySet holds the screen to the repository's safety sets: every
// crisis caught, at most 2% of hard negatives flagged, in the set written
// for the purpose and in the one gathered from real pages.
func TestSafetySet(t *testing.T) {
	for _, set := range []struct {
		file              string
		minCrisis, minNeg int
		maxFalseAlarms    float64
	}{
		{"safety.jsonl", 80, 80, 0.02},
		{"safety-real.jsonl", 8, 200, 0.02},
		// Everyday text must almost never alarm: a crisis reply to a
		// question about a tax refund frightens and fails the visitor.
		{"everyday.jsonl", 0, 400, 0.01},
	} {
		t.Run(set.file, func(t *testing.T) {
			testSafetySet(t, "../../knowledge/eval/"+set.file, set.minCrisis, set.minNeg, set.maxFalseAlarms)
		})
	}
}

func testSafetySet(t *testing.T, file string, minCrisis, minNeg int, maxFalseAlarms float64) {
	var crisis, caught, neg, flagged int
	for _, l := range readSet(t, file) {
		got := Screen(l.Q, l.Context)
		if l.Risk == None {
			neg++
			if got.Crisis() {
				flagged++
				t.Logf("false alarm: %q -> %s %v", l.Q, got, got.Evidence)
			}
			continue
		}
		crisis++
		if got.Crisis() {
			caught++
		} else {
			t.Errorf("missed %s/%s: %q (context %q)", l.Risk, l.Level, l.Q, l.Context)
		}
	}
	if crisis < minCrisis || neg < minNeg {
		t.Fatalf("the set has %d crisis messages and %d negatives, want at least %d and %d", crisis, neg, minCrisis, minNeg)
	}
	if rate := float64(flagged) / float64(neg); rate > maxFalseAlarms {
		t.Errorf("%d of %d negatives flagged (%.1f%%), want at most %.0f%%", flagged, neg, 100*rate, 100*maxFalseAlarms)
	}
	t.Logf("recall %d/%d, false alarms %d/%d", caught, crisis, flagged, neg)
}

// TestGatheredRealCrisis holds a floor on text real people wrote about
// danger (testdata/real: forum posts, letters, emergency calls, gathered
// verbatim with their sources), which a session may study and tune to,
// unlike knowledge/eval/crisis-real.jsonl, which stays a measurement. The
// floors are today's figures: the screen catches 66% of these, and
// flags about a fifth of the hard negatives (past attempts told as stories);
// a change may raise them, never lower them.
func TestGatheredRealCrisis(t *testing.T) {
	var crisis, caught, neg, flagged int
	for _, file := range []string{"testdata/real/suicide-selfharm.jsonl", "testdata/real/overdose-medical-abuse.jsonl"} {
		for _, l := range readSet(t, file) {
			got := Screen(l.Q, l.Context).Crisis()
			if l.Risk == None {
				neg++
				if got {
					flagged++
				}
			} else if crisis++; got {
				caught++
			}
		}
	}
	recall, alarms := float64(caught)/float64(crisis), float64(flagged)/float64(neg)
	t.Logf("recall %d/%d (%.1f%%), hard negatives flagged %d/%d (%.1f%%)", caught, crisis, 100*recall, flagged, neg, 100*alarms)
	if crisis < 190 || neg < 170 {
		t.Fatalf("%d crisis lines and %d negatives, want the whole set", crisis, neg)
	}
	if recall < 0.76 {
		t.Errorf("recall %.1f%%, below the floor of 76%%", 100*recall)
	}
	if alarms > 0.23 {
		t.Errorf("%.1f%% of hard negatives flagged, above the ceiling of 23%%", 100*alarms)
	}
}

func TestScreen(t *testing.T) {
	tests := []struct {
		msg     string
		context []string
		kind    Kind
		level   Level
	}{
		{"my bf isnt breathing and his lips are blue", nil, Overdose, Emergency},
		{"hes snoring really weird", []string{"my brother just shot up in the bathroom"}, Overdose, Emergency},
		{"what do i do", []string{"she wont wake up after using"}, Overdose, Emergency},
		{"i want to kill myself", nil, Suicide, Urgent},
		{"i want to die tonight, i have the pills", nil, Suicide, Emergency},
		{"i dont want to wake up tomorrow", nil, Suicide, Urgent},
		{"i cut myself again", nil, SelfHarm, Urgent},
		{"bad chest pain on day 2 of withdrawal", nil, Medical, Emergency},
		{"my husband is hitting me right now", nil, Abuse, Emergency},
		{"i think about my own suicide every day", nil, Suicide, Urgent},
		{"i just want death, i am so tired", nil, Suicide, Urgent},
		{"my boyfriend has started hitting me", nil, Abuse, Emergency},
		{"when he drinks his fists come out", nil, Abuse, Urgent},
		{"our daughter is cutting again", nil, SelfHarm, Urgent},
		{"he talked about wanting to hurt himself", nil, SelfHarm, Urgent},
		{"i think my dad is dead", nil, Overdose, Emergency},
		{"hes not waking up for anything", nil, Overdose, Emergency},
		{"my baby is not being responsive", nil, Overdose, Emergency},
		{"i wish i was never born", nil, Suicide, Urgent},
		{"im locked in the bathroom please hurry", nil, Abuse, Emergency},
		{"he went to get an axe", nil, Abuse, Emergency},
		{"my husband stabbed me", nil, Abuse, Emergency},
		{"i just want death", nil, Suicide, Urgent},
		{"she doesnt look like shes breathing", nil, Overdose, Emergency},
		{"his breathings gone really bad", nil, Overdose, Emergency},
		{"i hurt myself on my arms again", nil, SelfHarm, Urgent},
		{"i find myself not wanting to be alive", nil, Suicide, Urgent},
		{"ive taken my entire daily dose at once", nil, Overdose, Emergency},
		{"i hurt myself on the job, can i still go to detox", nil, None, NoLevel},
		{"that looks like a really odd question", nil, None, NoLevel},
		{"it was a long death for my grandfather", nil, None, NoLevel},
		{"hes dead to me after what he did", nil, None, NoLevel},
		{"my sister stabbed me in the back, she told everyone im on methadone", nil, None, NoLevel},
		{"hes up for anything this weekend", nil, None, NoLevel},
		{"my son cuts the grass for the neighbors", nil, None, NoLevel},
		{"my daughter is cutting back on sugar", nil, None, NoLevel},
		{"a guy hit on me at the meeting", nil, None, NoLevel},
		{"what is the death rate from fentanyl", nil, None, NoLevel},
		{"this withdrawal is killing me", nil, None, NoLevel},
		{"what are the signs of an overdose", nil, None, NoLevel},
		{"my dad died of an overdose years ago", nil, None, NoLevel},
		{"im not suicidal, just tired", nil, None, NoLevel},
		{"im dying to know if my insurance covers rehab", nil, None, NoLevel},
		{"what do i do if someone isnt breathing", nil, None, NoLevel},
		{"i used to cut myself in high school", nil, None, NoLevel},
		{"my mom is going to kill me if she finds out", nil, None, NoLevel},
		// Real emergencies that were missed.
		{"someone just overdosed what do i do", nil, Overdose, Emergency},
		{"i used alone and i feel like im fading", nil, Overdose, Emergency},
		{"i took too much", nil, Overdose, Emergency},
		// Ordinary text the model flagged on everyday words.
		{"It's been longer than 21 days since the IRS received my return and I haven't gotten my refund. Why?", nil, None, NoLevel},
		{"i have aetna insurance", []string{"I'd like to talk to a person."}, None, NoLevel},
		{"my bf of four years has been using various drogas on and off but has recently delved into the world of dope. he only sniffs it (no needles) but he's doin like 2 bags a day and idrk what to do. i'm not sure where to draw the line", nil, None, NoLevel},
		// The past, a memory, a figure of speech.
		{"He admitted that he had thought about suicide but knew that it would ruin my life forever", nil, None, NoLevel},
		{"My daughter died of a fentanyl overdose one month ago. It was her first time and she took far too much.", nil, None, NoLevel},
		{"I still cannot get the image of his face, blue and not breathing, out of my head.", nil, None, NoLevel},
		{"I had four cups as if someone put a gun to my head", nil, None, NoLevel},
		{"my car is having a seizure every time i start it", nil, None, NoLevel},
		{"i suffer from chronic pain and i just found out im pregnant", nil, None, NoLevel},
		{"nobody od'd, i just want narcan in my car just in case", nil, None, NoLevel},
		// Despair and harm said in plain words, from real posts.
		{"The roller coaster ride is killing me inside and I find myself wishing it would finish the job outside as well.", nil, Suicide, Urgent},
		{"some days I question if I'll even be here next year. what's the point?", nil, Suicide, Urgent},
		{"I did it. I relapsed. The new blades are really sharp.", nil, SelfHarm, Urgent},
		{"I have been physically attacked and had my finger broken by my son", nil, Abuse, Urgent},
	}
	for _, tt := range tests {
		got := Screen(tt.msg, tt.context)
		if got.Kind != tt.kind || got.Level != tt.level {
			t.Errorf("Screen(%q, %q) = %s %v, want %s/%s", tt.msg, tt.context, got, got.Evidence, tt.kind, tt.level)
		}
		if got.Crisis() && len(got.Evidence) == 0 {
			t.Errorf("Screen(%q): crisis without evidence", tt.msg)
		}
	}
}

// TestScreenBadInput: whatever arrives, the screen answers and does not
// panic; danger at the end of a long message is still seen.
func TestScreenBadInput(t *testing.T) {
	for _, msg := range []string{"", " ", "\x00\x01\x02", "\xff\xfe", "😭😭😭", strings.Repeat("a", 10000)} {
		if got := Screen(msg, nil); got.Crisis() {
			t.Errorf("Screen(%.20q) = %s, want none", msg, got)
		}
	}
	long := strings.Repeat("i have a question about insurance. ", 200) + "also i want to kill myself"
	if got := Screen(long, nil); got.Kind != Suicide {
		t.Errorf("danger at the end of a %d-byte message: got %s", len(long), got)
	}
}

func TestRiskLogValue(t *testing.T) {
	r := Risk{Kind: Suicide, Level: Urgent, Evidence: []string{"wants to die: i want to die"}}
	if got := r.LogValue().String(); got != "suicide/urgent" {
		t.Errorf("LogValue = %q: evidence quotes the visitor and must stay out of logs", got)
	}
}

func FuzzScreen(f *testing.F) {
	for _, s := range []string{"i want to die", "hes not breathing", "what is narcan", "\xff", "im not suicidal. but.", "a. . .b"} {
		f.Add(s, "my friend used")
	}
	f.Fuzz(func(t *testing.T, msg, ctx string) {
		r := Screen(msg, []string{ctx})
		if r.Crisis() != (r.Level != NoLevel) {
			t.Fatalf("risk %s: crisis and level disagree", r)
		}
		if r.Crisis() && Response(r) == "" {
			t.Fatalf("risk %s has no reply", r)
		}
	})
}

// BenchmarkScreen measures the screen on ordinary questions, what it sees
// most, and on crisis messages, where every cue's suppressors run.
func BenchmarkScreen(b *testing.B) {
	for _, bm := range []struct {
		name string
		msgs []string
	}{
		{"ordinary", []string{
			"how long does withdrawal last",
			"my son has been using for a year and i found foil in his room, what do i do",
			"does insurance cover suboxone",
			"whats the difference between iop and php",
		}},
		{"crisis", []string{
			"i want to kill myself",
			"hes not breathing and his lips are blue",
			"i took all my pills",
			"my husband is hitting me right now",
		}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				Screen(bm.msgs[i%len(bm.msgs)], nil)
			}
		})
	}
}

// TestKeyIndex checks the one-pass key search against the plain one.
func TestKeyIndex(t *testing.T) {
	if len(cues) > maxCues {
		t.Fatalf("%d cues; screenText keeps their flags in a [maxCues]bool", len(cues))
	}
	for _, text := range []string{"i want to die tonight", "hes not breathing. lips blue", "how much does rehab cost", "", "a"} {
		on := make([]bool, len(cues))
		cueKeys.active(text, on)
		for i, c := range cues {
			if want := containsAny(text, c.keys); on[i] != want {
				t.Errorf("%q: cue %q active %v, want %v", text, c.name, on[i], want)
			}
		}
	}
}

// TestContextIsTheVisitorsDanger: a hand-off request ("I'd like to talk
// to a person", the words the widget sends for the button) is no danger
// for the next messages to continue. 500 ordinary messages, each read in
// the light of the request and of the messages before it as a conversation
// would, raise no alarm that they would not raise alone.
func TestContextIsTheVisitorsDanger(t *testing.T) {
	var ordinary []string
	for _, l := range append(readSet(t, "../../knowledge/eval/everyday.jsonl"), readSet(t, "../../knowledge/eval/safety-real.jsonl")...) {
		if l.Risk == None && !Screen(l.Q, nil).Crisis() {
			ordinary = append(ordinary, l.Q)
		}
	}
	if len(ordinary) < 500 {
		t.Fatalf("only %d ordinary messages", len(ordinary))
	}
	recent := []string{"I'd like to talk to a person."}
	for _, msg := range ordinary[:500] {
		if r := Screen(msg, recent); r.Crisis() {
			t.Errorf("after %q: %q screened as %s %v", recent, msg, r, r.Evidence)
		}
		recent = append(recent, msg)
		if len(recent) > ContextMessages {
			recent = recent[1:]
		}
	}
}

// TestKnowledgeQuestionsAreNotCrises screens every sample question of the
// knowledge base: people ask these to learn, and an emergency reply to
// "how long does the brain take to heal" would frighten and fail them.
// Only the entries about danger signs may be screened as one, since their
// questions describe the danger ("gurgling after using", "vomiting for
// days"), and someone who writes that needs the crisis reply first.
func TestKnowledgeQuestionsAreNotCrises(t *testing.T) {
	base, err := kb.Load(knowledge.FS())
	if err != nil {
		t.Fatal(err)
	}
	dangerSigns := map[string]bool{"overdose-signs": true, "withdrawal-dangerous": true, "overdose-what-to-do": true}
	n := 0
	for _, e := range base.Entries {
		for _, q := range e.Questions {
			n++
			if r := Screen(q, nil); r.Crisis() && !dangerSigns[e.ID] {
				t.Errorf("%s: %q screened as %s (%v)", e.ID, q, r, r.Evidence)
			}
		}
	}
	if n < 1000 {
		t.Fatalf("only %d sample questions screened", n)
	}
}

// keyGated are the cues whose keys are a condition, not only a shortcut:
// "it didnt work" is an overdose only where naloxone is named.
var keyGated = map[string]bool{"naloxone is not working": true}

// TestCueKeysCoverPatterns: a cue is only tried on a message that has one
// of its keys, so a pattern that matches a message none of whose keys it
// has is dead. Every message of the safety sets and the training data is
// checked.
func TestCueKeysCoverPatterns(t *testing.T) {
	files, _ := filepath.Glob("testdata/train/*.jsonl")
	dev, _ := filepath.Glob("testdata/real/*.jsonl")
	files = append(files, dev...)
	for _, f := range []string{"safety.jsonl", "safety-real.jsonl", "everyday.jsonl", "crisis-real.jsonl"} {
		files = append(files, "../../knowledge/eval/"+f)
	}
	for _, f := range files {
		for _, l := range readSet(t, f) {
			text := normalize(l.Q)
			var on [maxCues]bool
			cueKeys.active(text, on[:len(cues)])
			for i := range cues {
				c := &cues[i]
				if on[i] || keyGated[c.name] {
					continue
				}
				scope := []string{strings.ReplaceAll(text, ".", " ")}
				if !c.whole {
					scope = splitClauses(text)
				}
				for _, cl := range scope {
					if m := c.re.FindString(cl); m != "" {
						t.Errorf("cue %q matches %q in %q, but none of its keys is there", c.name, m, l.Q)
					}
				}
			}
		}
	}
}

// TestWordsOfDangerInOrdinaryText: the cues for danger told in a
// visitor's own words (a shooting, an ambulance, being thrown or
// threatened, not caring whether one lived) fire on the danger and not on
// the same words in ordinary sentences.
func TestWordsOfDangerInOrdinaryText(t *testing.T) {
	for _, msg := range []string{
		"he got shot in the new batman movie",
		"my grandpa was shot in the war and never talked about it",
		"my uncle was shot last year and survived, now he is on pain pills",
		"I got shot down by my crush again lol",
		"we need an ambulance transport for my grandma tomorrow morning",
		"does insurance cover an ambulance ride to detox",
		"she always threatens to kill him with kindness",
		"he pushed me out of the way to get to the bathroom first",
		"my coach threw me off the team",
		"i didn't care if i lived or died back then, 10 years ago, now im 5 years clean",
		"suboxone threw me into withdrawal",
		"this meeting makes me lose the will to live lol",
		"all I want to do is sleep in this weekend",
		"we watched a documentary about people flying off a cliff in wingsuits",
		"I hope I get hit by the lottery luck this year",
		"she hopes she gets hit with a good tax refund",
		"I'm scared of what I might do with all this free time after retirement",
		"my brother has a gun collection and I know where it is kept",
		"he gave up hope on the team after they traded him, he plays with a toy gun now",
		"I cut myself shaving and started again",
		"i used to self harm but i've been free of it for 4 years and i'm doing great",
		"my wrist was bleeding after I fell off my bike",
		"if i call 988 will they send the police",
		"can someone send the police report to my lawyer",
		"we need someone here now to fix the boiler, it's freezing",
		"my phone is dead here, no signal",
		"my battery is dead in the car again",
		"I'm about to shoot her an email about the intake",
		"my son keeps hitting his sister, how do I stop it",
		"I heard him hitting the drums all night",
		"i tried to wake her for school but she overslept",
		"I'll be waiting in front of the bus station at noon",
		"he parked in front of the train depot",
		"my son threw a tantrum at me in the store",
		"she threw a surprise party for me at work",
		"the kids threw snowballs at us all afternoon",
		"my brother threw a pillow at me lol",
		"i'm going to get a punch card at the coffee place",
		"he got beat up in the movie we watched",
		"my doctor says the clots in my leg are gone",
		"i caved in and had a cigarette after two years of not smoking",
	} {
		if r := Screen(msg, nil); r.Crisis() {
			t.Errorf("Screen(%q) = %s %s, want no crisis", msg, r.Kind, r.Level)
		}
	}
	for _, msg := range []string{
		"My friend. There's blood everywhere and we need an ambulance immediately. She got stabbed in the head",
		"he just got shot outside, please help",
		"he has broken my wrist by throwing me down the stairs",
		"he threatens to shoot her and I'm afraid for her safety",
		"I sank into despair. I didn't care, in that moment, if I lived or died.",
		"he said he'd rather kill himself than detox on his own again",
		"all i want is to go to sleep and never wake up",
		"i lost the will to live a while ago and it keeps getting worse",
		"i keep thinking about hanging myself from the stairs",
		"sometimes i hope i get hit by a truck on the way to work",
		"she prays she gets killed in a crash so it looks like an accident",
		"my suicidality got worse this week",
		"im scared of what i might do to myself tonight",
		"he has totally given up hope and he keeps his gun by the bed",
		"i stopped self harming for two years and last night i did it again",
		"my daughter came out of the bathroom and her wrists were bleeding",
		"please just send the police, he is breaking the door",
		"my brother is dead here on the bathroom floor",
		"my neighbor is hitting his girlfriend in the yard right now",
		// A pattern's last words, optional, still need the message to
		// go on after them: these ended the message and were missed.
		"he always says things would be better if he wasnt around",
		"we tried to wake her",
		// Patterns that could never fire: none of their cue's keys was
		// in the words they match.
		"i had the urge to step out in front of a car on my way home",
		"life is meaningless and i am done trying",
		"i thought about killing myself all through last night",
		"people passing out everywhere at this party, please send someone",
		"when he drinks he has thrown heavy objects at me and the kids",
		"he threw a bottle at my head last night",
		"he screamed that i was going to get a fist in the face",
		"i keep passing big clots when i pee and it hurts",
		"i caved into the urges last night after two years of not hurting myself",
	} {
		if r := Screen(msg, nil); !r.Crisis() {
			t.Errorf("Screen(%q) = no crisis, want one", msg)
		}
	}
}
