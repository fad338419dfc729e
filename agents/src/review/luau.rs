//! Checking Luau source with a real parser (`full_moon`), safely: the parser recurses once
//! per nesting level with large frames, so a deeply nested answer could overflow a worker
//! thread's stack and abort the process. The source is therefore measured first (size, and
//! nesting from the tokens), then parsed on a thread of its own with a large stack, which
//! also contains any parser panic. This module reports; it never runs the script.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::thread;

use full_moon::LuaVersion;
use full_moon::tokenizer::{Lexer, LexerResult, Symbol, Token, TokenType};

/// A station script is a few hundred lines; anything much larger is refused unparsed.
pub const MAX_SOURCE_BYTES: usize = 64 * 1024;
/// Deepest nesting of blocks and brackets accepted for parsing.
pub const MAX_NESTING: usize = 40;
/// The parsing thread's stack: enough for [`MAX_NESTING`] levels and the longest operator
/// chains [`MAX_SOURCE_BYTES`] allows, even in unoptimized builds. Reserved, not committed;
/// where the system refuses that much, the smaller size (ample in optimized builds).
const PARSER_STACK_BYTES: [usize; 2] = [256 * 1024 * 1024, 64 * 1024 * 1024];
/// At most this many parser errors are reported.
const MAX_ERRORS: usize = 3;

/// Why source is not acceptable Luau.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LuauError {
    TooLarge {
        bytes: usize,
    },
    TooDeep {
        line: usize,
        depth: usize,
    },
    /// The parser's messages, each with its line and column.
    Syntax(Vec<String>),
    /// The parser could not be run (thread refused, or the parser panicked).
    Unchecked(String),
}

impl std::fmt::Display for LuauError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooLarge { bytes } => write!(
                f,
                "the script is {bytes} bytes; keep it under {MAX_SOURCE_BYTES}"
            ),
            Self::TooDeep { line, depth } => write!(
                f,
                "the script nests blocks and brackets {depth} deep at line {line}; keep \
                 nesting under {MAX_NESTING}"
            ),
            Self::Syntax(errors) => write!(
                f,
                "the script does not parse as Luau: {}",
                errors.join("; ")
            ),
            Self::Unchecked(why) => write!(f, "the script could not be checked: {why}"),
        }
    }
}

/// The contents of the quoted string literals of `source` (as written, escapes
/// untouched), when it parses as Luau.
pub fn string_literals(source: &str) -> Result<BTreeSet<String>, LuauError> {
    if source.len() > MAX_SOURCE_BYTES {
        return Err(LuauError::TooLarge {
            bytes: source.len(),
        });
    }
    let tokens = match Lexer::new(source, LuaVersion::luau()).collect() {
        LexerResult::Ok(tokens) => tokens,
        LexerResult::Fatal(errors) | LexerResult::Recovered(_, errors) => {
            return Err(LuauError::Syntax(
                errors
                    .iter()
                    .take(MAX_ERRORS)
                    .map(|e| {
                        let (start, _) = e.range();
                        located(start.line(), start.character(), &e.error().to_string())
                    })
                    .collect(),
            ));
        }
    };
    check_nesting(&tokens)?;
    parse_on_own_stack(source.to_owned())?;
    Ok(tokens
        .iter()
        .filter_map(|token| match token.token_type() {
            TokenType::StringLiteral { literal, .. } => Some(literal.to_string()),
            _ => None,
        })
        .collect())
}

/// Refuses nesting deeper than [`MAX_NESTING`], counted from the tokens: `function`,
/// `do`, `repeat`, a statement's `if` and brackets open; `end`, `until` and brackets close.
/// An `if` where an expression is expected is Luau's if-expression, which has no `end`.
fn check_nesting(tokens: &[Token]) -> Result<(), LuauError> {
    let mut depth: usize = 0;
    let mut previous: Option<&TokenType> = None;
    for token in tokens {
        let kind = token.token_type();
        if kind.is_trivia() {
            continue;
        }
        if let TokenType::Symbol { symbol } = kind {
            let opens = match symbol {
                Symbol::If => !expects_expression(previous),
                Symbol::Function
                | Symbol::Do
                | Symbol::Repeat
                | Symbol::LeftParen
                | Symbol::LeftBrace
                | Symbol::LeftBracket => true,
                Symbol::End
                | Symbol::Until
                | Symbol::RightParen
                | Symbol::RightBrace
                | Symbol::RightBracket => {
                    depth = depth.saturating_sub(1);
                    false
                }
                _ => false,
            };
            if opens {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(LuauError::TooDeep {
                        line: token.start_position().line(),
                        depth,
                    });
                }
            }
        }
        previous = Some(kind);
    }
    Ok(())
}

/// Whether an expression must follow `previous` (the last token that is not trivia).
fn expects_expression(previous: Option<&TokenType>) -> bool {
    let Some(TokenType::Symbol { symbol }) = previous else {
        return false;
    };
    matches!(
        symbol,
        Symbol::Equal
            | Symbol::PlusEqual
            | Symbol::MinusEqual
            | Symbol::StarEqual
            | Symbol::SlashEqual
            | Symbol::DoubleSlashEqual
            | Symbol::PercentEqual
            | Symbol::CaretEqual
            | Symbol::TwoDotsEqual
            | Symbol::LeftParen
            | Symbol::LeftBracket
            | Symbol::LeftBrace
            | Symbol::Comma
            | Symbol::Return
            | Symbol::And
            | Symbol::Or
            | Symbol::Not
            | Symbol::In
            | Symbol::Plus
            | Symbol::Minus
            | Symbol::Star
            | Symbol::Slash
            | Symbol::DoubleSlash
            | Symbol::Percent
            | Symbol::Caret
            | Symbol::TwoDots
            | Symbol::Hash
            | Symbol::TwoEqual
            | Symbol::TildeEqual
            | Symbol::LessThan
            | Symbol::LessThanEqual
            | Symbol::GreaterThan
            | Symbol::GreaterThanEqual
    )
}

/// Parses `source` as Luau on a thread with a [`PARSER_STACK_BYTES`] stack.
fn parse_on_own_stack(source: String) -> Result<(), LuauError> {
    let source = Arc::new(source);
    let mut refusal = None;
    for stack in PARSER_STACK_BYTES {
        let source = Arc::clone(&source);
        match thread::Builder::new()
            .name("luau-parse".into())
            .stack_size(stack)
            .spawn(move || parse(&source))
        {
            Ok(parser) => {
                return parser
                    .join()
                    .map_err(|_| LuauError::Unchecked("the Luau parser failed on it".into()))?;
            }
            Err(error) => refusal = Some(error),
        }
    }
    Err(LuauError::Unchecked(format!(
        "no parser thread: {}",
        refusal.map_or_else(String::new, |e| e.to_string())
    )))
}

fn parse(source: &str) -> Result<(), LuauError> {
    match full_moon::parse_fallible(source, LuaVersion::luau()).into_result() {
        Ok(_) => Ok(()),
        Err(errors) => Err(LuauError::Syntax(
            errors
                .iter()
                .take(MAX_ERRORS)
                .map(|error| {
                    let (start, _) = error.range();
                    let message = match error {
                        full_moon::Error::AstError(e) => e.error_message().to_owned(),
                        full_moon::Error::TokenizerError(e) => e.error().to_string(),
                    };
                    located(start.line(), start.character(), &message)
                })
                .collect(),
        )),
    }
}

fn located(line: usize, column: usize, message: &str) -> String {
    format!("line {line}, column {column}: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_luau_gives_its_string_literals() {
        let source = "local t: {[string]: number} = {[\"s1_info\"] = 1}\nprint('s2_quiz', `x{1}`)\n-- \"s3_info\"";
        let literals = string_literals(source).unwrap();
        assert_eq!(
            literals.into_iter().collect::<Vec<_>>(),
            ["s1_info", "s2_quiz"]
        );
    }

    #[test]
    fn a_syntax_error_is_located() {
        let error = string_literals("local x = 1\nlocal function f(\n  return x\nend").unwrap_err();
        let LuauError::Syntax(messages) = &error else {
            panic!("{error:?}");
        };
        assert!(
            messages[0].starts_with("line 3, column 3: "),
            "{messages:?}"
        );
    }

    #[test]
    fn an_unclosed_string_is_a_located_tokenizer_error() {
        let error = string_literals("local x = 1\nprint(\"open").unwrap_err();
        assert_eq!(
            error,
            LuauError::Syntax(vec!["line 2, column 7: unclosed string".into()])
        );
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let depth = MAX_NESTING + 1;
        let source = format!("{}{}", "if x then ".repeat(depth), "end ".repeat(depth));
        assert_eq!(
            string_literals(&source),
            Err(LuauError::TooDeep { line: 1, depth })
        );
    }

    #[test]
    fn if_expressions_do_not_count_as_blocks() {
        let source = "local x = 0\n".to_owned()
            + &"x = if x > 1 then 1 else 2\nprint(if x then 1 else 2, -if x then 1 else 2)\n"
                .repeat(MAX_NESTING);
        assert_eq!(string_literals(&source), Ok(BTreeSet::new()));
    }

    #[test]
    fn nesting_up_to_the_limit_parses_on_the_parser_stack() {
        let depth = MAX_NESTING;
        let source = format!("{}{}", "if x then ".repeat(depth), "end ".repeat(depth));
        assert_eq!(string_literals(&source), Ok(BTreeSet::new()));
    }

    #[test]
    fn the_longest_operator_chain_the_size_limit_allows_parses() {
        let links = (MAX_SOURCE_BYTES - 20) / " .. 1".len();
        let source = format!("local x = 1{}", " .. 1".repeat(links));
        assert!(source.len() <= MAX_SOURCE_BYTES);
        assert_eq!(string_literals(&source), Ok(BTreeSet::new()));
    }

    #[test]
    fn oversized_source_is_refused() {
        let source = "-".repeat(MAX_SOURCE_BYTES + 1);
        assert_eq!(
            string_literals(&source),
            Err(LuauError::TooLarge {
                bytes: MAX_SOURCE_BYTES + 1
            })
        );
    }
}
