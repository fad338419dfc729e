//! The offline templates' writing, one style per grade band (K–2, 3–5, 6–8, 9–12): the
//! sentences of summaries, explanations and closings, the activities and the glossary of
//! study words. Sentence length and word choice are set per band so the prose lands in
//! the review's reading-level band for every grade of it. Only text lives here.
//!
//! Placeholders: `{subject}`, `{title}`, `{goal_count}`, `{section_count}`, `{theme}`,
//! `{goals}`, `{activity}`, `{term1}`, `{term2}`, `{goal}`.

/// How the templates write for one grade band.
pub struct Style {
    pub band: &'static str,
    pub summary: &'static [&'static str],
    /// A sentence placing the lesson in the brief's theme.
    pub theme: &'static str,
    /// An explanation's first paragraph: the section's goals.
    pub opening: &'static [&'static str],
    /// Its second paragraph: the activity.
    pub practice: &'static [&'static str],
    /// Its third paragraph: the key terms.
    pub terms: &'static [&'static str],
    pub closing: &'static [&'static str],
    pub activities: &'static [ActivityTemplate],
    /// Study words with learner-level definitions, taught as key terms.
    pub glossary: &'static [(&'static str, &'static str)],
}

pub struct ActivityTemplate {
    pub kind: &'static str,
    /// How the prose names it, e.g. "a short game".
    pub phrase: &'static str,
    pub instructions: &'static str,
}

/// The style for `grade` (0 = kindergarten).
pub fn for_grade(grade: u8) -> &'static Style {
    match grade {
        0..=2 => &EARLY,
        3..=5 => &ELEMENTARY,
        6..=8 => &MIDDLE,
        _ => &HIGH,
    }
}

static EARLY: Style = Style {
    band: "K-2",
    summary: &[
        "This is a lesson about {subject}. It is called {title}. We have {goal_count} to \
         work on. We will look, talk, and try things out. Ask lots of questions as we go.",
        "Our lesson is {title}. It is about {subject}. There are {goal_count} for us to \
         learn. We will play, draw, and talk with friends. Have fun and do your best.",
    ],
    theme: "Our place to learn is {theme}.",
    opening: &[
        "Today we work on this goal: {goals}. We will go step by step. You can ask for \
         help at any time. It is fine to make a mistake.",
        "Here is what we want to learn: {goals}. First we look. Then we talk. Then we try \
         it out on our own.",
        "This part is all about a big idea: {goals}. We start with what you know. Then we \
         add a new thing to it.",
    ],
    practice: &[
        "Next we do {activity}. Work with a friend. Take turns and help each other. Say \
         what you see and what you think.",
        "Now it is time for {activity}. Use your hands and your eyes. Look for clues as \
         you go. Tell a friend what you find.",
        "Then we get to do {activity}. Go slow and be kind. Try your best, and then try \
         once more.",
    ],
    terms: &[
        "Two words help us in this part: {term1} and {term2}. Say each word out loud. Then \
         use it in a short sentence.",
        "Keep these words in mind: {term1} and {term2}. Point to them on the word wall. \
         Can you tell a friend what they mean?",
        "At the end, we check what we learned. Think of the words {term1} and {term2}. \
         Show a thumbs up if you know them.",
    ],
    closing: &[
        "We end by sharing one thing we learned today. Each of us gets a turn to talk.",
        "To end, we sit in a circle. We each say one new thing we know now.",
    ],
    activities: &[
        ActivityTemplate {
            kind: "hands_on",
            phrase: "a task with our hands",
            instructions: "Work with a friend on this goal: \"{goal}\". Use the things on \
                           your table. Show what you made to the group.",
        },
        ActivityTemplate {
            kind: "drawing",
            phrase: "a drawing task",
            instructions: "Draw a picture that shows this goal: \"{goal}\". Tell a friend \
                           about your picture.",
        },
        ActivityTemplate {
            kind: "game",
            phrase: "a short game",
            instructions: "Play a quick game in pairs about this goal: \"{goal}\". Take \
                           turns and help each other.",
        },
        ActivityTemplate {
            kind: "discussion",
            phrase: "a talk with a friend",
            instructions: "Sit with a friend and talk about this goal: \"{goal}\". Each \
                           of you says one idea.",
        },
    ],
    glossary: &[
        ("goal", "What we want to learn."),
        ("clue", "A small fact that helps you find an answer."),
        ("guess", "What you think will happen before you check."),
        ("share", "To tell others what you found."),
        ("check", "To look again to see if you are right."),
        ("word wall", "A board with the new words we learn."),
        ("partner", "A friend you work with."),
    ],
};

static ELEMENTARY: Style = Style {
    band: "3-5",
    summary: &[
        "In this {subject} lesson, called {title}, you will work toward {goal_count}. Each \
         part of the lesson mixes a short explanation with an activity. At the end, you \
         will check what you learned with a partner.",
        "This lesson is called {title}, and it is part of {subject}. You will work toward \
         {goal_count} in {section_count}. Every part gives you something to read and \
         something to do.",
    ],
    theme: "The setting for this lesson is {theme}, so keep an eye out for it.",
    opening: &[
        "In this part of the lesson, we focus on one goal: {goals}. We begin with what you \
         already know and build from there. Along the way, you will notice how the pieces \
         fit together.",
        "Our goal for this part is easy to say: {goals}. First, we will look at a few \
         examples together. Then you will explain the idea in your own words.",
        "This section works toward the goal {goals}. We start by asking questions about \
         what we see. Each answer gives us a clue for the next step.",
    ],
    practice: &[
        "After that, you will take part in {activity}. Work with a partner and share your \
         thinking out loud. If you get stuck, look back at the examples and try again.",
        "Next comes {activity}. Follow the steps carefully and write down what you \
         notice. Compare your notes with a partner when you are done.",
        "Then we move on to {activity}. This helps you practice the idea instead of just \
         reading about it. Ask questions whenever something seems confusing.",
    ],
    terms: &[
        "Two important words in this section are {term1} and {term2}. Use them when you \
         talk about your work. By the end, you should be able to explain what each one \
         means.",
        "Watch for the words {term1} and {term2} as we go. They help us describe our \
         thinking clearly. Try to use both in a sentence before the section ends.",
        "To check your learning, think about the words {term1} and {term2}. Can you give \
         an example of each? Share your examples with the class.",
    ],
    closing: &[
        "To finish, you will write two sentences about what you learned. Then you will \
         share one of them with a partner.",
        "We close with a quick check. Tell a partner the most useful idea from today and \
         one question you still have.",
    ],
    activities: &[
        ActivityTemplate {
            kind: "hands_on",
            phrase: "a hands-on investigation",
            instructions: "With a partner, use the materials provided to explore this \
                           goal: \"{goal}\". Write down two things you notice and share \
                           them with the class.",
        },
        ActivityTemplate {
            kind: "discussion",
            phrase: "a partner discussion",
            instructions: "Talk with a partner about this goal: \"{goal}\". Each of you \
                           gives an example, then you decide together which example \
                           explains it best.",
        },
        ActivityTemplate {
            kind: "writing",
            phrase: "a short writing task",
            instructions: "Write three sentences that explain this goal in your own \
                           words: \"{goal}\". Read them to a partner and fix anything \
                           unclear.",
        },
        ActivityTemplate {
            kind: "game",
            phrase: "a review game",
            instructions: "In small teams, play a question game about this goal: \
                           \"{goal}\". Teams take turns asking and answering questions.",
        },
    ],
    glossary: &[
        ("evidence", "Facts that show something is true."),
        (
            "prediction",
            "A guess about what will happen, made before you check.",
        ),
        ("observe", "To look closely and notice details."),
        ("summary", "A short retelling of the main ideas."),
        ("vocabulary", "The words we use to talk about a subject."),
        ("example", "One case that shows an idea."),
        ("compare", "To find how things are alike and different."),
    ],
};

static MIDDLE: Style = Style {
    band: "6-8",
    summary: &[
        "This {subject} lesson, {title}, is organized around {goal_count}. Each section \
         pairs a focused explanation with an activity that lets you apply the idea. The \
         lesson closes with a review that connects the objectives to one another.",
        "In {title}, a lesson in {subject}, you will work through {section_count} built \
         around {goal_count}. Every section combines a clear explanation, a practical \
         activity, and key vocabulary that supports your reasoning.",
    ],
    theme: "The setting for the whole lesson is {theme}, which gives the activities a \
            shared context.",
    opening: &[
        "This section centers on a specific objective: {goals}. We begin by connecting \
         the idea to examples you may already recognize from everyday life. Then we look \
         more carefully at how the details support the bigger picture.",
        "The objective for this part of the lesson is {goals}. Rather than memorizing \
         facts, you will investigate how and why the idea works. Pay attention to \
         patterns, because they often reveal the reasoning underneath.",
        "Here we work toward the following objective: {goals}. We will examine several \
         examples, compare them, and identify what they have in common. That comparison \
         becomes the foundation for your own explanation.",
    ],
    practice: &[
        "Next, you will complete {activity}. Work with a partner to plan your approach \
         before you start, and record your observations as you go. Afterward, discuss \
         which results surprised you and why.",
        "The activity for this section is {activity}. It gives you a chance to apply the \
         idea to a new situation instead of simply reading about it. Keep notes, since \
         you will use them when you summarize your findings.",
        "Then you will move into {activity}. As you work, test your thinking against the \
         evidence in front of you. If something does not fit, revise your explanation \
         rather than ignoring the problem.",
    ],
    terms: &[
        "Two key terms support this section: {term1} and {term2}. Use each term \
         accurately when you describe your reasoning. By the end, you should be able to \
         define both terms and connect them to the objective.",
        "As you work, pay attention to the terms {term1} and {term2}. Precise vocabulary \
         makes your explanations clearer and easier to check. Try to use both terms in \
         your notes and in the discussion.",
        "To check your understanding, explain the terms {term1} and {term2} to a partner. \
         Then describe how each one relates to the work you just completed.",
    ],
    closing: &[
        "The lesson ends with a short reflection. Write down the most important idea you \
         learned and one question you would like to investigate further.",
        "To close, each group summarizes its findings in two or three sentences. The \
         class then compares the summaries and identifies the strongest evidence.",
    ],
    activities: &[
        ActivityTemplate {
            kind: "investigation",
            phrase: "a small investigation",
            instructions: "In pairs, design a simple way to explore this objective: \
                           \"{goal}\". Record your observations in a table and \
                           summarize what they show.",
        },
        ActivityTemplate {
            kind: "discussion",
            phrase: "a structured discussion",
            instructions: "In groups of three, discuss this objective: \"{goal}\". Each \
                           person offers one example and one piece of evidence; the \
                           group agrees on the strongest explanation.",
        },
        ActivityTemplate {
            kind: "writing",
            phrase: "a written explanation",
            instructions: "Write a paragraph that explains this objective in your own \
                           words: \"{goal}\". Support it with at least one example.",
        },
        ActivityTemplate {
            kind: "presentation",
            phrase: "a short presentation",
            instructions: "Prepare a one-minute presentation on this objective: \
                           \"{goal}\". Use a diagram or example to make your point.",
        },
    ],
    glossary: &[
        (
            "evidence",
            "Information that supports or challenges a claim.",
        ),
        ("claim", "A statement that you argue is true."),
        (
            "model",
            "A simplified representation of how something works.",
        ),
        (
            "inference",
            "A conclusion reached from evidence and reasoning.",
        ),
        (
            "hypothesis",
            "A testable explanation that can be checked with evidence.",
        ),
        (
            "analyze",
            "To break something into parts to understand how it works.",
        ),
        ("variable", "A factor that can change and affect a result."),
    ],
};

static HIGH: Style = Style {
    band: "9-12",
    summary: &[
        "This {subject} lesson, {title}, develops {goal_count} across {section_count}. \
         Each section combines a concise explanation with an activity that requires you \
         to apply, analyze, or evaluate the material. The closing review asks you to \
         synthesize what you have learned and to identify questions that remain open.",
        "{title} is a {subject} lesson structured around {goal_count}. Its sections move \
         from explanation to application, asking you to justify your reasoning with \
         evidence at every stage. The lesson concludes by connecting the objectives into \
         a coherent understanding of the topic.",
    ],
    theme: "The lesson's setting is {theme}, which provides a consistent context for \
            the activities and examples.",
    opening: &[
        "This section addresses the following objective: {goals}. We will approach it \
         analytically. First we examine the underlying principles, then we consider how \
         they apply in unfamiliar contexts. Throughout, distinguish carefully between what the \
         evidence demonstrates and what it merely suggests.",
        "The objective of this section is {goals}. Rather than accepting conclusions at \
         face value, you will evaluate the reasoning that supports them and consider \
         plausible alternatives. This habit of critical evaluation is essential for \
         genuine understanding.",
        "Our work here concentrates on one objective: {goals}. We begin with the central \
         concepts, then test them against specific cases that reveal their strengths and \
         limitations. By the end, you should be able to explain the idea precisely and \
         defend your explanation.",
    ],
    practice: &[
        "You will then complete {activity}. Plan your approach deliberately and \
         document your reasoning as you proceed. Note any assumptions you make. Afterward, \
         assess which parts of your analysis are well supported and which require \
         further evidence.",
        "The section continues with {activity}. This task asks you to transfer the \
         concept to a new situation, which is a reliable test of understanding. Record \
         your reasoning carefully, because you will compare it with other approaches \
         afterward.",
        "Next comes {activity}. As you work, evaluate the quality of your sources and the \
         strength of each inference you draw. Where the evidence is ambiguous, \
         acknowledge the uncertainty rather than overstating your conclusion.",
    ],
    terms: &[
        "Two terms are central to this section: {term1} and {term2}. Use each precisely. \
         Imprecise vocabulary frequently conceals weak reasoning. You should be \
         able to define both terms and explain their relevance to the objective.",
        "Pay particular attention to the terms {term1} and {term2}. Applying them \
         accurately will strengthen both your written analysis and your contributions to \
         discussion. Consider how each term clarifies the relationship between evidence \
         and conclusion.",
        "Before moving on, verify that you can explain the terms {term1} and {term2} \
         without notes. Then articulate how each one informs your interpretation of the \
         evidence examined in this section.",
    ],
    closing: &[
        "The lesson concludes with a synthesis task. Summarize how the objectives relate \
         to one another and identify the strongest evidence you encountered. Then \
         formulate one question that deserves further investigation.",
        "To conclude, write a brief reflection evaluating your own understanding. \
         Identify which objective you found most challenging, explain why, and describe \
         what additional evidence would strengthen your reasoning.",
    ],
    activities: &[
        ActivityTemplate {
            kind: "investigation",
            phrase: "an independent investigation",
            instructions: "Design and carry out a short investigation of this objective: \
                           \"{goal}\". State your question, document your method and \
                           evidence, and evaluate the reliability of your conclusion.",
        },
        ActivityTemplate {
            kind: "debate",
            phrase: "a structured debate",
            instructions: "In two teams, debate a claim related to this objective: \
                           \"{goal}\". Each side presents evidence, responds to a \
                           counterargument, and summarizes its position.",
        },
        ActivityTemplate {
            kind: "writing",
            phrase: "an analytical writing task",
            instructions: "Write an analytical paragraph on this objective: \"{goal}\". \
                           Make a precise claim, support it with evidence, and address \
                           one limitation of your argument.",
        },
        ActivityTemplate {
            kind: "presentation",
            phrase: "a brief presentation",
            instructions: "Prepare a three-minute presentation on this objective: \
                           \"{goal}\". Explain the key concept, illustrate it with an \
                           example, and take questions from the class.",
        },
    ],
    glossary: &[
        (
            "claim",
            "A precise, arguable statement that evidence must support.",
        ),
        (
            "counterargument",
            "An opposing position that a strong argument acknowledges and answers.",
        ),
        (
            "synthesis",
            "Combining ideas from several sources into a coherent whole.",
        ),
        (
            "assumption",
            "Something accepted as true without proof, often left unstated.",
        ),
        (
            "reliability",
            "How consistently a source or method produces trustworthy results.",
        ),
        (
            "hypothesis",
            "A testable explanation that predicts what the evidence should show.",
        ),
        (
            "criterion",
            "A standard used to judge or evaluate something.",
        ),
    ],
};
