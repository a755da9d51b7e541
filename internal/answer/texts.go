package answer

// The engine's own replies. Like the entries, they are fixed, reviewed
// texts with placeholders for the operator's facts, never generated.
const (
	textEmpty = "I didn't catch any words in that message. What would you like to know? " +
		"You can ask about withdrawal, treatment and medication, insurance, or helping someone you love."

	textFallback = "I'm not sure I understood, and I'd rather not guess about something this important. " +
		"You could try asking in other words, or talk with a person from {{helpline_name}}: " +
		"tap the button below or call {{phone}} ({{hours}})."

	textClarify = "I want to be sure I answer the right question. Which of these is closest?"

	textHandoff = "Of course. I'm asking a person from {{helpline_name}} to join this chat. " +
		"If you'd rather talk on the phone, call {{phone}} ({{hours}}). " +
		"If anyone is in danger right now, call 911."
)

var refusalTexts = map[string]string{
	RefuseDose: "I can't advise on doses or amounts. What is safe depends on the person, their health and " +
		"anything else they take, so only a prescriber or pharmacist who knows them can answer that. " +
		"You can talk it through with a person here or at {{phone}}. " +
		"If someone may have taken too much, call 911 now.",

	RefuseTaper: "I can't give a plan for tapering or coming off a medication on your own. " +
		"Lowering too fast can bring back withdrawal and cravings, and overdose risk rises as tolerance drops. " +
		"A prescriber can build a plan that is safe for you, and we can help you find one at {{phone}}.",

	RefuseSource: "I can't help with getting drugs or medication without a prescription. " +
		"Street pills and powders may contain fentanyl, which can kill even in tiny amounts. " +
		"Treatment medicines like buprenorphine and methadone can be prescribed by a clinician, " +
		"and we can help you find one at {{phone}}.",

	RefuseUse: "I can't give instructions for using drugs. If you do use, please don't use alone, " +
		"and keep naloxone (Narcan) close by: it is sold without a prescription. " +
		"Whenever you're ready, we're here to talk about treatment, here or at {{phone}}.",

	RefuseCheat: "I can't help with getting around a drug test. If the test is for treatment, a court or a job, " +
		"being honest about use is usually safer than a result that is found to be faked. " +
		"If you take a prescribed medication such as methadone or buprenorphine, tell whoever runs the test " +
		"and have your prescription ready. You can talk it through with a person here or at {{phone}}.",
}
