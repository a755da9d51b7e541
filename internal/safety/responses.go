package safety

// The crisis replies. They are fixed, reviewed texts, checked against
// DOMAIN.md §1–3 and golden-tested (testdata/responses/*.golden): any
// change must be deliberate and reviewed. Each one acknowledges what the
// visitor said, gives only the one or two resources that fit, offers a
// person at once, and never ends at a dead end. None describes a method
// or gives a dose.
//
// Numbers: 911 (danger to life now), 988 Suicide & Crisis Lifeline (call
// or text; press 2 for Spanish), Crisis Text Line (text HOME to 741741),
// Poison Control 1-800-222-1222. The operator re-checks them before a
// deployment.
var responses = map[Kind]map[Level]string{
	Overdose: {
		Emergency: `This sounds like an overdose. Please act now:

1. **Call 911.** Say someone is not breathing or won't wake up, and give the address. If it's you who took too much, call now.
2. **Give naloxone (Narcan)** if there is any. If breathing isn't back to normal after 2–3 minutes, give another dose.
3. **Help them breathe.** If they aren't breathing, give rescue breaths or CPR as the 911 operator tells you. If they are breathing, roll them onto their side.
4. **Stay with them** until help arrives. Naloxone can wear off before the drugs do.`,
		Urgent: `I'm worried about your safety. After time away from using, or with fentanyl in the supply, the amount someone used to take can stop their breathing.

- Please don't use alone, and keep **naloxone (Narcan)** close. It's sold without a prescription.
- If anyone can't be woken or isn't breathing, **call 911** right away.`,
	},
	Suicide: {
		Emergency: `I'm really glad you told me, and I want you to be safe right now.

- If you have taken something or might act on these thoughts, **call 911 now**.
- You can also **call or text 988**, the Suicide & Crisis Lifeline, any time, day or night.`,
		Urgent: `Thank you for telling me. That is a lot to carry, and you don't have to carry it alone.

- **Call or text 988**, the Suicide & Crisis Lifeline, to talk with someone now. It's free, confidential and open 24/7 (press 2 for Spanish). It also helps people worried about someone else.
- If anyone is in danger right now, **call 911**.`,
	},
	SelfHarm: {
		Emergency: `Please get help for the injury right now: **call 911**, or have someone take you to the nearest emergency room.

You can also **call or text 988** any time to talk with someone.`,
		Urgent: `Thank you for trusting me with this. Urges to hurt yourself can feel overwhelming, and you deserve support with them.

- **Call or text 988** any time to talk with someone, or **text HOME to 741741** (Crisis Text Line).
- If someone is badly hurt or bleeding heavily, **call 911**.`,
	},
	Medical: {
		Emergency: `What you describe can be a medical emergency. **Call 911 now**, or have someone take you to the nearest emergency room. Please don't wait to see if it passes.`,
		Urgent: `That needs a medical check soon. Please contact a doctor, urgent care or an emergency room today: not keeping fluids down, infections and problems in pregnancy can turn dangerous quickly.

- If it gets worse, or there is chest pain, a seizure, fainting or trouble breathing, **call 911**.
- For a question about a medicine or a mix of substances, call **Poison Control at 1-800-222-1222**.`,
	},
	Abuse: {
		Emergency: `Your safety comes first. If you, or a child, are in danger right now, **call 911**, and get to a safe place if you can.`,
		Urgent: `Thank you for telling me. No one deserves to be hurt, threatened or controlled.

- If you or a child are in danger at any point, **call 911**.
- You can **text HOME to 741741** (Crisis Text Line) any time to talk with a trained counselor.`,
	},
}

// personLines close each reply by offering a person, when someone from
// the team can chat now.
var personLines = map[Kind]map[Level]string{
	Overdose: {
		Emergency: "I'm getting a person from our team to join you now.",
		Urgent:    "I'm asking a person from our team to join this chat so you can talk it through.",
	},
	Suicide: {
		Emergency: "I'm asking a person from our team to join this chat right now. Please stay with me.",
		Urgent:    "I'm asking a person from our team to join this chat.",
	},
	SelfHarm: {
		Emergency: "I'm asking a person from our team to join this chat now.",
		Urgent:    "I'm asking a person from our team to join this chat.",
	},
	Medical: {
		Emergency: "I'm asking a person from our team to join this chat.",
		Urgent:    "I'm asking a person from our team to join this chat.",
	},
	Abuse: {
		Emergency: "I'm asking a person from our team to join this chat right now.",
		Urgent:    "I'm asking a person from our team to join this chat.",
	},
}

// offlineLine closes a reply when nobody from the team can chat now (outside
// the chat hours, or no one online): it promises no person, and points to
// the numbers above and the request forms below.
const offlineLine = "Nobody from our team can chat right now. Please use the numbers above, and you can leave a request below for a call back."

// Response returns the fixed reply for a risk, offering a person. Every
// kind and level has one; a risk without a level gets its kind's urgent
// reply.
func Response(r Risk) string {
	level := r.Level
	if _, ok := responses[r.Kind][level]; !ok {
		level = Urgent
	}
	return responses[r.Kind][level] + "\n\n" + personLines[r.Kind][level]
}

// ResponseOffline is Response for when nobody from the team can chat now.
func ResponseOffline(r Risk) string {
	level := r.Level
	if _, ok := responses[r.Kind][level]; !ok {
		level = Urgent
	}
	return responses[r.Kind][level] + "\n\n" + offlineLine
}

// followUpReplies answer a further message in a crisis the bot has already
// replied to ("what do i do", "he is still not waking up"): the whole
// reply again would bury the conversation, so the visitor gets the next
// steps and the number, short, and the full steps stay in the reply above.
// Fixed, reviewed texts like the replies (testdata/responses/*-followup*.golden).
var followUpReplies = map[Kind]map[Level]string{
	Overdose: {
		Emergency: `If you haven't yet, **call 911** now. Give **naloxone (Narcan)** if there is any. If they are breathing, roll them onto their side, and stay with them until help arrives. The full steps are in my message above.`,
		Urgent:    `If anyone can't be woken or isn't breathing, **call 911** right away. Keep **naloxone (Narcan)** close, and please don't use alone.`,
	},
	Suicide: {
		Emergency: `If you have taken something or might act on these thoughts, please **call 911 now**. You can also **call or text 988** to talk with someone right away.`,
		Urgent:    `You can **call or text 988** to talk with someone now: it's free and open 24/7. If anyone is in danger right now, **call 911**.`,
	},
	SelfHarm: {
		Emergency: `Please get the injury seen now: **call 911**, or have someone take you to the nearest emergency room. You can also **call or text 988**.`,
		Urgent:    `You can **call or text 988**, or **text HOME to 741741**, to talk with someone now. If someone is badly hurt or bleeding heavily, **call 911**.`,
	},
	Medical: {
		Emergency: `Please **call 911 now**, or have someone take you to the nearest emergency room. Don't wait to see if it passes.`,
		Urgent:    `Please get a medical check today: a doctor, urgent care or an emergency room. If it gets worse, **call 911**; for a question about a medicine, call **Poison Control at 1-800-222-1222**.`,
	},
	Abuse: {
		Emergency: `If you or a child are in danger right now, **call 911**, and get to a safe place if you can.`,
		Urgent:    `If you or a child are in danger at any point, **call 911**. You can **text HOME to 741741** any time to talk with a counselor.`,
	},
}

// The closing lines of a follow-up: a person has been asked for already,
// or nobody can chat now.
const (
	followUpLine        = "I've asked a person from our team to join this chat. I'm still here with you."
	followUpOfflineLine = "Nobody from our team can chat right now. Please use the numbers above, and you can leave a request below for a call back."
)

// FollowUp returns the short fixed reply to a further message in a
// crisis already answered, for when someone from the team can chat now.
// Like Response, a risk without a level gets its kind's urgent text.
func FollowUp(r Risk) string { return followUp(r) + "\n\n" + followUpLine }

// FollowUpOffline is FollowUp for when nobody from the team can chat now.
func FollowUpOffline(r Risk) string { return followUp(r) + "\n\n" + followUpOfflineLine }

func followUp(r Risk) string {
	level := r.Level
	if _, ok := followUpReplies[r.Kind][level]; !ok {
		level = Urgent
	}
	return followUpReplies[r.Kind][level]
}

// Worse reports whether level a is more severe than level b.
func Worse(a, b Level) bool { return a.rank() > b.rank() }
