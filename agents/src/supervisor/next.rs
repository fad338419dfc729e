//! What a content request needs next, read from its own stream: the supervisor is a
//! process manager whose memory is the log, so any worker can pick a request up where
//! another left it (after a crash, a redelivery, a review's findings).
//!
//! Pure: no I/O, no clock. The rules, in order:
//! - a finished request needs nothing, but a generated one still needs its content on the
//!   lesson (attaching is idempotent);
//! - a passed review means the request is generated, with the newest output of each part;
//! - a second failed review ends it as failed, with the findings;
//! - the content agent's plan comes first; then the quiz, terrain and script agents that
//!   the request wants, in parallel; then review;
//! - after a failed review, only the agents its findings name run again (once), with the
//!   findings as feedback;
//! - an agent that failed `max_attempts` times in a round ends the request as failed.

use std::collections::BTreeSet;

use domain::{AgentName, AgentStep, ContentRequest, ContentRequestStatus, StepOutcome};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// How many tries the pipeline allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Failed attempts of one agent in one round before the request fails.
    pub max_attempts: u32,
    /// Reviews before the request fails: the first, and one after sending parts back.
    pub review_rounds: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            review_rounds: 2,
        }
    }
}

/// One agent step to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub agent: AgentName,
    /// The attempt to start, or to resume when it was started and never ended.
    pub attempt: u32,
    /// Findings to address (from a failed review).
    pub feedback: Vec<String>,
}

/// What the supervisor does next.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    /// Run these agents' steps, in parallel.
    Run(Vec<Planned>),
    /// Review the outputs.
    Review { attempt: u32 },
    /// Mark the request generated with these outputs.
    Generate { outputs: Value },
    /// Mark the request failed.
    Fail { reason: String },
    /// The request is generated: put its outputs on the lesson.
    Attach { outputs: Value },
    /// Nothing (cancelled, failed, or never requested).
    Done,
}

/// The review agent's recorded output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRecord {
    pub passed: bool,
    pub findings: Vec<FindingRecord>,
}

/// One finding: which agent must fix what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingRecord {
    pub agent: AgentName,
    pub check: String,
    pub message: String,
}

impl ReviewRecord {
    fn of(step: &AgentStep) -> Option<Self> {
        match &step.outcome {
            StepOutcome::Completed { output, .. } => serde_json::from_value(output.clone()).ok(),
            _ => None,
        }
    }

    /// The findings as one line each, e.g. for a failure reason.
    pub fn summary(&self) -> String {
        self.findings
            .iter()
            .map(|f| format!("{} ({}): {}", f.agent, f.check, f.message))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// What `request` needs next.
pub fn next(request: &ContentRequest, limits: Limits) -> Next {
    let Some(details) = request.details() else {
        return Next::Done;
    };
    match request.status() {
        ContentRequestStatus::Generated => {
            return Next::Attach {
                outputs: details.outputs.clone().unwrap_or_else(|| json!({})),
            };
        }
        status if status.is_finished() => return Next::Done,
        _ => {}
    }
    let steps = request.steps();
    let reviews: Vec<(usize, ReviewRecord)> = steps
        .iter()
        .enumerate()
        .filter(|(_, step)| step.agent == AgentName::Review)
        .filter_map(|(i, step)| ReviewRecord::of(step).map(|r| (i, r)))
        .collect();
    if let Some((_, last)) = reviews.last() {
        if last.passed {
            return Next::Generate {
                outputs: outputs(request, last),
            };
        }
        if reviews.len() as u32 >= limits.review_rounds {
            return Next::Fail {
                reason: format!(
                    "review failed {} times; last findings: {}",
                    reviews.len(),
                    last.summary()
                ),
            };
        }
    }
    // The round starts after the last failed review; its findings say who runs again.
    let (since, redo) = match reviews.last() {
        Some((index, review)) => (
            Some(*index),
            review
                .findings
                .iter()
                .map(|f| f.agent)
                .collect::<BTreeSet<_>>(),
        ),
        None => (None, BTreeSet::new()),
    };
    let in_round = |i: usize| since.is_none_or(|s| i > s);
    let needed = |agent: AgentName| {
        !steps.iter().enumerate().any(|(i, step)| {
            step.agent == agent
                && matches!(step.outcome, StepOutcome::Completed { .. })
                && (!redo.contains(&agent) || in_round(i))
        })
    };
    let failures = |agent: AgentName| {
        steps
            .iter()
            .enumerate()
            .filter(|(i, step)| {
                step.agent == agent
                    && in_round(*i)
                    && matches!(step.outcome, StepOutcome::Failed { .. })
            })
            .map(|(_, step)| step)
            .collect::<Vec<_>>()
    };
    let feedback = |agent: AgentName| -> Vec<String> {
        reviews
            .last()
            .map(|(_, review)| {
                review
                    .findings
                    .iter()
                    .filter(|f| f.agent == agent)
                    .map(|f| format!("{} ({})", f.message, f.check))
                    .collect()
            })
            .unwrap_or_default()
    };
    let wave: Vec<AgentName> = if needed(AgentName::Content) {
        vec![AgentName::Content]
    } else {
        details
            .parts
            .iter()
            .map(AgentName::making)
            .filter(|agent| *agent != AgentName::Content && needed(*agent))
            .collect()
    };
    if wave.is_empty() {
        return Next::Review {
            attempt: attempt_for(request, AgentName::Review),
        };
    }
    for agent in &wave {
        let failed = failures(*agent);
        if failed.len() as u32 >= limits.max_attempts {
            let last = failed
                .last()
                .map_or(String::new(), |step| match &step.outcome {
                    StepOutcome::Failed { reason } => reason.clone(),
                    _ => String::new(),
                });
            return Next::Fail {
                reason: format!(
                    "the {agent} agent failed {} times; last: {last}",
                    failed.len()
                ),
            };
        }
    }
    Next::Run(
        wave.into_iter()
            .map(|agent| Planned {
                agent,
                attempt: attempt_for(request, agent),
                feedback: feedback(agent),
            })
            .collect(),
    )
}

/// The attempt to run for `agent`: a started one that never ended is resumed (its worker
/// died), else the next number.
fn attempt_for(request: &ContentRequest, agent: AgentName) -> u32 {
    match request.latest_step(agent) {
        Some(step) if step.outcome == StepOutcome::Running => step.attempt,
        Some(step) => step.attempt + 1,
        None => 1,
    }
}

/// The newest completed output of `agent`, if any.
pub fn latest_output(request: &ContentRequest, agent: AgentName) -> Option<&Value> {
    request
        .steps()
        .iter()
        .rev()
        .filter(|step| step.agent == agent)
        .find_map(|step| match &step.outcome {
            StepOutcome::Completed { output, .. } => Some(output),
            _ => None,
        })
}

/// The outputs `ContentGenerated` records: each wanted part's newest output, the review,
/// and who made each part.
fn outputs(request: &ContentRequest, review: &ReviewRecord) -> Value {
    let mut outputs = Map::new();
    let mut made_by = Map::new();
    if let Some(details) = request.details() {
        for part in details.parts.iter() {
            let agent = AgentName::making(part);
            if let Some(output) = latest_output(request, agent) {
                outputs.insert(part.as_str().to_owned(), output.clone());
            }
            if let Some(StepOutcome::Completed {
                provider, model, ..
            }) = request
                .steps()
                .iter()
                .rev()
                .find(|s| s.agent == agent && matches!(s.outcome, StepOutcome::Completed { .. }))
                .map(|s| &s.outcome)
            {
                made_by.insert(
                    part.as_str().to_owned(),
                    json!({"provider": provider, "model": model}),
                );
            }
        }
    }
    outputs.insert("made_by".to_owned(), Value::Object(made_by));
    outputs.insert(
        "review".to_owned(),
        serde_json::to_value(review).unwrap_or(Value::Null),
    );
    Value::Object(outputs)
}
