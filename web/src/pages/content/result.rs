//! What the agents made, as a teacher reads it: the lesson plan's text, the quiz with its
//! answers marked, the terrain's map and the Luau script with line numbers; and the
//! review's verdict with its findings. Each part is read in the shape the agent pipeline
//! defines (`agents::outputs`); a part that does not fit is shown as its JSON.

use agents::outputs::{LessonPlan, Quiz, Script, Terrain};
use agents::supervisor::next::ReviewRecord;
use maud::{Markup, html};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::terrain_map;

pub fn review(output: &Value) -> Markup {
    let Ok(record) = ReviewRecord::deserialize(output) else {
        return raw(output);
    };
    html! {
        div.review data-test="review" {
            @if record.passed {
                span.notice data-test="review-verdict" { "passed" }
            } @else {
                span.error data-test="review-verdict" { "sent back" }
            }
            @if !record.findings.is_empty() {
                ul data-test="findings" {
                    @for finding in &record.findings {
                        li { strong { (finding.agent.as_str()) } " · " code { (finding.check) } ": " (finding.message) }
                    }
                }
            }
        }
    }
}

fn part<'a, T: DeserializeOwned>(outputs: &'a Value, name: &str) -> Option<Result<T, &'a Value>> {
    let value = outputs.get(name)?;
    Some(T::deserialize(value).map_err(|_| value))
}

fn raw(value: &Value) -> Markup {
    html! { pre.code { (serde_json::to_string_pretty(value).unwrap_or_default()) } }
}

/// Every part the request made, each under its own heading.
pub fn outputs(outputs: &Value) -> Markup {
    html! {
        section data-test="result" {
            h2 { "The result" }
            @match part::<LessonPlan>(outputs, "lesson_content") {
                Some(Ok(plan)) => (lesson_plan(&plan)),
                Some(Err(value)) => { h3 { "Lesson text" } (raw(value)) }
                None => {}
            }
            @match part::<Quiz>(outputs, "quiz") {
                Some(Ok(quiz)) => (quiz_view(&quiz)),
                Some(Err(value)) => { h3 { "Quiz" } (raw(value)) }
                None => {}
            }
            @match part::<Terrain>(outputs, "terrain") {
                Some(Ok(terrain)) => { h3 { "Terrain" } (terrain_map::map(&terrain)) }
                Some(Err(value)) => { h3 { "Terrain" } (raw(value)) }
                None => {}
            }
            @match part::<Script>(outputs, "script") {
                Some(Ok(script)) => (script_view(&script)),
                Some(Err(value)) => { h3 { "Script" } (raw(value)) }
                None => {}
            }
        }
    }
}

fn lesson_plan(plan: &LessonPlan) -> Markup {
    html! {
        article.plan data-test="lesson-plan" {
            h3 { "Lesson text: " (plan.title) }
            p { (plan.summary) }
            @for (n, section) in plan.sections.iter().enumerate() {
                section {
                    h4 { (n + 1) ". " (section.heading) " " span.muted { "(" (section.minutes) " min)" } }
                    p { (section.explanation) }
                    @if !section.key_terms.is_empty() {
                        dl.facts {
                            @for term in &section.key_terms { dt { (term.term) } dd { (term.definition) } }
                        }
                    }
                    p { strong { "Activity (" (section.activity.kind) ", " (section.activity.minutes) " min): " } (section.activity.instructions) }
                }
            }
            @if let Some(closing) = &plan.closing { p { em { (closing) } } }
        }
    }
}

fn quiz_view(quiz: &Quiz) -> Markup {
    html! {
        section data-test="quiz" {
            h3 { "Quiz" }
            ol {
                @for item in &quiz.items {
                    li {
                        p { (item.question) }
                        ul.options {
                            @for option in &item.options {
                                @if option.correct {
                                    li.correct { (option.text) " " span.notice { "correct" } }
                                } @else {
                                    li { (option.text) }
                                }
                            }
                        }
                        p.muted { (item.explanation) }
                    }
                }
            }
        }
    }
}

/// The script, one numbered line per source line (the numbers are CSS, so copying the
/// code copies the code alone).
pub fn script_view(script: &Script) -> Markup {
    html! {
        section data-test="script" {
            h3 { "Roblox script (Luau)" }
            p.muted { "Handles the stations " (script.stations.join(", ")) "." }
            pre.code.numbered aria-label="Luau source" {
                code {
                    @for line in script.source.lines() {
                        span.line { (line) "\n" }
                    }
                }
            }
        }
    }
}
